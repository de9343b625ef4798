using System;
using System.Buffers.Binary;
using System.IO;
using KeOpsGen.Samples;
using KeOpsGen.Tests.Support;
using SkiaSharp;
using Xunit;

namespace KeOpsGen.Tests.Samples;

/// <summary>
/// The samples' plotting path, headless: the PNG is a real PNG of the requested size, and text is
/// drawn (ScottPlot draws no glyphs at all when no font resolves, which is what the bundled
/// DejaVu files prevent on a machine without fonts).
/// </summary>
public sealed class SamplePlotTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "keopsgen-plots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void ComparisonFigureIsAPngOfTheRequestedSize()
    {
        var random = new SeededRandom(nameof(ComparisonFigureIsAPngOfTheRequestedSize));
        double[] reference = random.Doubles(3 * 50, 0, 10);
        double[] keops = (double[])reference.Clone();
        string? previous = Environment.GetEnvironmentVariable("KEOPSGEN_PLOT_DIR");
        string path;
        try
        {
            Environment.SetEnvironmentVariable("KEOPSGEN_PLOT_DIR", _folder);
            path = SamplePlot.Comparison("comparison", "KeOpsGen vs reference", keops, reference, dim: 3, component: 1, rows: 40);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KEOPSGEN_PLOT_DIR", previous);
        }

        Assert.Equal(Path.Combine(_folder, "comparison.png"), path);
        (int width, int height) = PngSize(File.ReadAllBytes(path));
        Assert.Equal((800, 600), (width, height));
    }

    [Fact]
    public void SaveWritesTheGivenSize()
    {
        ScottPlot.Plot plot = SamplePlot.Create("size", "x", "y");
        plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 1, 0, 1 });
        string path = SamplePlot.Save(plot, "sized", 321, 234, _folder, print: false);
        Assert.Equal((321, 234), PngSize(File.ReadAllBytes(path)));
    }

    [Fact]
    public void TitlesAreDrawnWithTheBundledBoldFace()
    {
        SamplePlot.UseBundledFonts();

        // Two titles of the same length: the pictures can differ only where glyphs were drawn.
        using SKBitmap first = Render("Gaussian kernel sum");
        using SKBitmap second = Render("Softmax weight mean");
        int differing = 0;
        for (int y = 0; y < first.Height; y++)
        {
            for (int x = 0; x < first.Width; x++)
            {
                differing += first.GetPixel(x, y) == second.GetPixel(x, y) ? 0 : 1;
            }
        }

        // A 20-character title at ScottPlot's default title size covers well over 300 pixels;
        // with no font resolved both pictures are identical (0).
        Assert.True(differing > 300, $"only {differing} pixels differ between two titles: no text was drawn");

        // The title face resolves to the bundled bold file, not to a substitute.
        using SKTypeface bold = ScottPlot.Fonts.GetTypeface(SamplePlot.FontFamily, bold: true, italic: false);
        Assert.Equal(SamplePlot.FontFamily, bold.FamilyName);
        Assert.Equal((int)SKFontStyleWeight.Bold, bold.FontWeight);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Fonts", "DejaVuSans-Bold.ttf")));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Fonts", "DejaVuSans.ttf")));
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheParameterName()
    {
        ScottPlot.Plot plot = SamplePlot.Create("t", "x", "y");
        Assert.Equal("width", Assert.Throws<ArgumentException>(() => SamplePlot.Save(plot, "bad", 0, 10, _folder, print: false)).ParamName);
        Assert.Equal("reference", Assert.Throws<ArgumentException>(() => SamplePlot.Comparison("c", "t", new double[6], new double[3], 3, 0, 2)).ParamName);
        Assert.Equal("component", Assert.Throws<ArgumentException>(() => SamplePlot.Comparison("c", "t", new double[6], new double[6], 3, 3, 2)).ParamName);
    }

    private SKBitmap Render(string title)
    {
        ScottPlot.Plot plot = SamplePlot.Create(title, "x", "y");
        plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 1, 0, 1 });
        string path = SamplePlot.Save(plot, "title-" + title.Length + "-" + title.GetHashCode(StringComparison.Ordinal).ToString("x"), 400, 300, _folder, print: false);
        return SKBitmap.Decode(path);
    }

    /// <summary>Checks the PNG signature and the IHDR chunk and returns its width and height.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        byte[] signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        Assert.True(png.Length > 33, $"a {png.Length}-byte file is too short for a PNG");
        Assert.Equal(signature, png[..8]);
        Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8)));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)));
    }
}
