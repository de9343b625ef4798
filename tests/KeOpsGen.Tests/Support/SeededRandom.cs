using System;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// Fresh random inputs per run, reproducible from the seed printed in failure messages
/// (set KEOPSGEN_TEST_SEED to replay one).
/// </summary>
public sealed class SeededRandom
{
    private readonly Random _random;
    private readonly string _label;

    public SeededRandom(string test, params object[] parameters)
    {
        string? fixedSeed = Environment.GetEnvironmentVariable("KEOPSGEN_TEST_SEED");
        Seed = fixedSeed is not null ? int.Parse(fixedSeed, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        _random = new Random(Seed);
        _label = $"[{test}({string.Join(", ", parameters)}) seed {Seed}; replay with KEOPSGEN_TEST_SEED={Seed}]";
    }

    public int Seed { get; }

    public double Double(double low, double high) => low + ((high - low) * _random.NextDouble());

    public double[] Doubles(int count, double low, double high)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Double(low, high);
        }

        return values;
    }

    public float[] Floats(int count, double low, double high)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)Double(low, high);
        }

        return values;
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public override string ToString() => _label;
}
