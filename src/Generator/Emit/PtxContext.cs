using System;
using System.Collections.Generic;
using System.Globalization;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// How a PTX lowering writes instructions: fresh virtual registers per kind, instruction lines,
/// labels and immediates. Registers are PTX virtual registers (ptxas allocates the physical ones),
/// declared once at the top of the entry from the counters kept here.
/// </summary>
internal sealed class PtxContext
{
    private readonly List<string> _lines = new();
    private int _f32;
    private int _f64;
    private int _b32;
    private int _b64;
    private int _pred;
    private int _labels;

    public PtxContext(bool isDouble)
    {
        IsDouble = isDouble;
    }

    /// <summary>The formula's scalar type is double (f64), else float (f32).</summary>
    public bool IsDouble { get; }

    /// <summary>"f32" or "f64": the type suffix of float instructions.</summary>
    public string T => IsDouble ? "f64" : "f32";

    /// <summary>"b32" or "b64": the bit type as wide as <see cref="T"/>.</summary>
    public string Bits => IsDouble ? "b64" : "b32";

    /// <summary>Size in bytes of one scalar.</summary>
    public int Size => IsDouble ? 8 : 4;

    public IReadOnlyList<string> Lines => _lines;

    public int F32Count => _f32;

    public int F64Count => _f64;

    public int B32Count => _b32;

    public int B64Count => _b64;

    public int PredCount => _pred;

    /// <summary>A fresh register of the formula's scalar type.</summary>
    public string NewF() => IsDouble ? NewF64() : NewF32();

    public string NewF32() => "%f" + Number(++_f32);

    public string NewF64() => "%fd" + Number(++_f64);

    public string NewB32() => "%r" + Number(++_b32);

    public string NewB64() => "%rd" + Number(++_b64);

    public string NewPred() => "%p" + Number(++_pred);

    /// <summary>A fresh integer register as wide as the scalar type (for bit manipulation).</summary>
    public string NewBits() => IsDouble ? NewB64() : NewB32();

    public string NewLabel(string hint) => "$L_" + hint + "_" + Number(++_labels);

    /// <summary>Appends one instruction; the terminating semicolon is added here.</summary>
    public void Emit(string instruction) => _lines.Add("\t" + instruction + ";");

    public void Label(string label) => _lines.Add(label + ":");

    public void Comment(string text) => _lines.Add("\t// " + text);

    /// <summary>Emits <c>opcode.T d, operands</c> into a fresh scalar register and returns it.</summary>
    public string Op(string opcode, params string[] operands)
    {
        string d = NewF();
        Emit($"{opcode}.{T} {d}, {string.Join(", ", operands)}");
        return d;
    }

    /// <summary>A scalar register holding <paramref name="value"/>.</summary>
    public string Const(double value)
    {
        string d = NewF();
        Emit($"mov.{T} {d}, {Imm(value)}");
        return d;
    }

    /// <summary>The PTX immediate for <paramref name="value"/> in the scalar type (exact bit pattern).</summary>
    public string Imm(double value) => IsDouble ? Imm64(value) : Imm32((float)value);

    /// <summary>PTX hexadecimal float literal <c>0fXXXXXXXX</c>: exact, and valid for NaN and infinities.</summary>
    public static string Imm32(float value)
    {
        byte[] bytes = BitConverter.GetBytes(value);
        uint bits = BitConverter.ToUInt32(bytes, 0);
        return "0f" + bits.ToString("X8", CultureInfo.InvariantCulture);
    }

    /// <summary>PTX hexadecimal double literal <c>0dXXXXXXXXXXXXXXXX</c>.</summary>
    public static string Imm64(double value)
        => "0d" + BitConverter.DoubleToInt64Bits(value).ToString("X16", CultureInfo.InvariantCulture);

    /// <summary>Selects <paramref name="ifTrue"/> where <paramref name="predicate"/> holds (PTX <c>selp</c>).</summary>
    public string Select(string predicate, string ifTrue, string ifFalse)
    {
        string d = NewF();
        Emit($"selp.{T} {d}, {ifTrue}, {ifFalse}, {predicate}");
        return d;
    }

    /// <summary>A predicate register set by <c>setp.cmp.T a, b</c>.</summary>
    public string Compare(string cmp, string a, string b)
    {
        string p = NewPred();
        Emit($"setp.{cmp}.{T} {p}, {a}, {b}");
        return p;
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
