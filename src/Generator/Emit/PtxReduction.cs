using System.Collections.Generic;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// How one reduction keeps its per-thread state in the PTX kernel. The kernel skeleton
/// (<see cref="PtxEmitter"/>) streams the inner rows in tiles and calls these hooks: Init before
/// the first tile, TileBegin/TileEnd around each tile's inner loop, Accumulate once per (row, j)
/// with F's component registers and j's index, Store at the end. A new reduction is one subclass:
/// Min/Max keep a running value updated with setp/selp; ArgMin/MinArgMin add an index register
/// taken from the j index; KMin keeps K sorted registers per component and inserts by a
/// compare-and-swap network; LogSumExp keeps (m, s) and rescales s by ex2 when m grows.
/// </summary>
internal abstract class PtxReduction
{
    /// <summary>Registers live across all tiles (for the register estimate).</summary>
    public abstract int StateRegisters(int formulaDim);

    public abstract void Init(PtxContext c, int formulaDim);

    public virtual void TileBegin(PtxContext c)
    {
    }

    /// <param name="c">Where to emit.</param>
    /// <param name="values">F's component registers for this (row, j).</param>
    /// <param name="index">A b32 register holding j (unused by Sum).</param>
    public abstract void Accumulate(PtxContext c, string[] values, string index);

    public virtual void TileEnd(PtxContext c)
    {
    }

    /// <summary>Writes the row's result; <paramref name="address"/> is the b64 address of its first value.</summary>
    public abstract void Store(PtxContext c, string address);
}

/// <summary>
/// Σ_j F: Direct adds each term to the accumulator; Block (and Auto) adds a tile's terms into a
/// temporary folded into the accumulator after the tile, as KeOps's block sum; Kahan folds the
/// tiles with compensation. Accumulation = Double accumulates float data in f64.
/// </summary>
internal sealed class PtxSumReduction : PtxReduction
{
    private readonly int _scheme;
    private readonly bool _doubleAccumulator;
    private readonly List<string> _accumulators = new();
    private readonly List<string> _tile = new();
    private readonly List<string> _compensation = new();

    /// <param name="sumScheme">KeOpsGen.SumScheme as an int: 0 Auto, 1 Direct, 2 Block, 3 Kahan.</param>
    /// <param name="doubleAccumulator">Accumulate in f64 (double data, or Accumulation.Double).</param>
    public PtxSumReduction(int sumScheme, bool doubleAccumulator)
    {
        _scheme = sumScheme == 0 ? 2 : sumScheme;
        _doubleAccumulator = doubleAccumulator;
    }

    private string A => _doubleAccumulator ? "f64" : "f32";

    private bool Tiled => _scheme != 1;

    public override int StateRegisters(int formulaDim) => formulaDim * (_scheme == 3 ? 3 : Tiled ? 2 : 1) * (_doubleAccumulator ? 2 : 1);

    public override void Init(PtxContext c, int formulaDim)
    {
        for (int k = 0; k < formulaDim; k++)
        {
            _accumulators.Add(Zero(c));
            if (Tiled)
            {
                _tile.Add(NewAccumulator(c));
            }

            if (_scheme == 3)
            {
                _compensation.Add(Zero(c));
            }
        }
    }

    public override void TileBegin(PtxContext c)
    {
        foreach (string t in _tile)
        {
            c.Emit($"mov.{A} {t}, {Zero()}");
        }
    }

    public override void Accumulate(PtxContext c, string[] values, string index)
    {
        List<string> target = Tiled ? _tile : _accumulators;
        for (int k = 0; k < values.Length; k++)
        {
            string v = values[k];
            if (_doubleAccumulator && !c.IsDouble)
            {
                string wide = c.NewF64();
                c.Emit($"cvt.f64.f32 {wide}, {v}");
                v = wide;
            }

            c.Emit($"add.{A} {target[k]}, {target[k]}, {v}");
        }
    }

    public override void TileEnd(PtxContext c)
    {
        for (int k = 0; k < _tile.Count; k++)
        {
            if (_scheme == 3)
            {
                // .rn on every step: without it ptxas may contract into fma and lose the compensation.
                string y = NewAccumulator(c);
                string s = NewAccumulator(c);
                string t = NewAccumulator(c);
                c.Emit($"sub.rn.{A} {y}, {_tile[k]}, {_compensation[k]}");
                c.Emit($"add.rn.{A} {s}, {_accumulators[k]}, {y}");
                c.Emit($"sub.rn.{A} {t}, {s}, {_accumulators[k]}");
                c.Emit($"sub.rn.{A} {_compensation[k]}, {t}, {y}");
                c.Emit($"mov.{A} {_accumulators[k]}, {s}");
            }
            else
            {
                c.Emit($"add.{A} {_accumulators[k]}, {_accumulators[k]}, {_tile[k]}");
            }
        }
    }

    public override void Store(PtxContext c, string address)
    {
        for (int k = 0; k < _accumulators.Count; k++)
        {
            string v = _accumulators[k];
            if (_doubleAccumulator && !c.IsDouble)
            {
                string narrow = c.NewF32();
                c.Emit($"cvt.rn.f32.f64 {narrow}, {v}");
                v = narrow;
            }

            c.Emit($"st.global.{c.T} [{address}+{k * c.Size}], {v}");
        }
    }

    private string NewAccumulator(PtxContext c) => _doubleAccumulator ? c.NewF64() : c.NewF32();

    private string Zero() => _doubleAccumulator ? PtxContext.Imm64(0) : PtxContext.Imm32(0);

    private string Zero(PtxContext c)
    {
        string r = NewAccumulator(c);
        c.Emit($"mov.{A} {r}, {Zero()}");
        return r;
    }
}
