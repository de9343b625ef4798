namespace KeOpsGen.Cpu;

/// <summary>
/// The spans of one generated call, handed to the runtime in the kernel's variable order (outer,
/// inner, parameters): the runtime pins them for the call (see <see cref="KernelPins"/>), so
/// generated code needs no <c>unsafe</c>. A concrete <c>ref struct</c> rather than a generic one
/// (a kernel type that is itself a ref struct) so that generated code compiles with C# 11/12
/// compilers too, which cannot pass ref structs as type arguments. Declare it <c>scoped</c>: it
/// may then hold spans over locals (a plain scalar, a stackalloc'd slot).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct KernelSpans<T>
{
    /// <summary>Most spans one call holds (a formula's variables, plus a gradient's inputs).</summary>
    public const int Capacity = 128;

    private ReadOnlySpan<T> _s0;
    private ReadOnlySpan<T> _s1;
    private ReadOnlySpan<T> _s2;
    private ReadOnlySpan<T> _s3;
    private ReadOnlySpan<T> _s4;
    private ReadOnlySpan<T> _s5;
    private ReadOnlySpan<T> _s6;
    private ReadOnlySpan<T> _s7;
    private ReadOnlySpan<T> _s8;
    private ReadOnlySpan<T> _s9;
    private ReadOnlySpan<T> _s10;
    private ReadOnlySpan<T> _s11;
    private ReadOnlySpan<T> _s12;
    private ReadOnlySpan<T> _s13;
    private ReadOnlySpan<T> _s14;
    private ReadOnlySpan<T> _s15;
    private ReadOnlySpan<T> _s16;
    private ReadOnlySpan<T> _s17;
    private ReadOnlySpan<T> _s18;
    private ReadOnlySpan<T> _s19;
    private ReadOnlySpan<T> _s20;
    private ReadOnlySpan<T> _s21;
    private ReadOnlySpan<T> _s22;
    private ReadOnlySpan<T> _s23;
    private ReadOnlySpan<T> _s24;
    private ReadOnlySpan<T> _s25;
    private ReadOnlySpan<T> _s26;
    private ReadOnlySpan<T> _s27;
    private ReadOnlySpan<T> _s28;
    private ReadOnlySpan<T> _s29;
    private ReadOnlySpan<T> _s30;
    private ReadOnlySpan<T> _s31;
    private ReadOnlySpan<T> _s32;
    private ReadOnlySpan<T> _s33;
    private ReadOnlySpan<T> _s34;
    private ReadOnlySpan<T> _s35;
    private ReadOnlySpan<T> _s36;
    private ReadOnlySpan<T> _s37;
    private ReadOnlySpan<T> _s38;
    private ReadOnlySpan<T> _s39;
    private ReadOnlySpan<T> _s40;
    private ReadOnlySpan<T> _s41;
    private ReadOnlySpan<T> _s42;
    private ReadOnlySpan<T> _s43;
    private ReadOnlySpan<T> _s44;
    private ReadOnlySpan<T> _s45;
    private ReadOnlySpan<T> _s46;
    private ReadOnlySpan<T> _s47;
    private ReadOnlySpan<T> _s48;
    private ReadOnlySpan<T> _s49;
    private ReadOnlySpan<T> _s50;
    private ReadOnlySpan<T> _s51;
    private ReadOnlySpan<T> _s52;
    private ReadOnlySpan<T> _s53;
    private ReadOnlySpan<T> _s54;
    private ReadOnlySpan<T> _s55;
    private ReadOnlySpan<T> _s56;
    private ReadOnlySpan<T> _s57;
    private ReadOnlySpan<T> _s58;
    private ReadOnlySpan<T> _s59;
    private ReadOnlySpan<T> _s60;
    private ReadOnlySpan<T> _s61;
    private ReadOnlySpan<T> _s62;
    private ReadOnlySpan<T> _s63;
    private ReadOnlySpan<T> _s64;
    private ReadOnlySpan<T> _s65;
    private ReadOnlySpan<T> _s66;
    private ReadOnlySpan<T> _s67;
    private ReadOnlySpan<T> _s68;
    private ReadOnlySpan<T> _s69;
    private ReadOnlySpan<T> _s70;
    private ReadOnlySpan<T> _s71;
    private ReadOnlySpan<T> _s72;
    private ReadOnlySpan<T> _s73;
    private ReadOnlySpan<T> _s74;
    private ReadOnlySpan<T> _s75;
    private ReadOnlySpan<T> _s76;
    private ReadOnlySpan<T> _s77;
    private ReadOnlySpan<T> _s78;
    private ReadOnlySpan<T> _s79;
    private ReadOnlySpan<T> _s80;
    private ReadOnlySpan<T> _s81;
    private ReadOnlySpan<T> _s82;
    private ReadOnlySpan<T> _s83;
    private ReadOnlySpan<T> _s84;
    private ReadOnlySpan<T> _s85;
    private ReadOnlySpan<T> _s86;
    private ReadOnlySpan<T> _s87;
    private ReadOnlySpan<T> _s88;
    private ReadOnlySpan<T> _s89;
    private ReadOnlySpan<T> _s90;
    private ReadOnlySpan<T> _s91;
    private ReadOnlySpan<T> _s92;
    private ReadOnlySpan<T> _s93;
    private ReadOnlySpan<T> _s94;
    private ReadOnlySpan<T> _s95;
    private ReadOnlySpan<T> _s96;
    private ReadOnlySpan<T> _s97;
    private ReadOnlySpan<T> _s98;
    private ReadOnlySpan<T> _s99;
    private ReadOnlySpan<T> _s100;
    private ReadOnlySpan<T> _s101;
    private ReadOnlySpan<T> _s102;
    private ReadOnlySpan<T> _s103;
    private ReadOnlySpan<T> _s104;
    private ReadOnlySpan<T> _s105;
    private ReadOnlySpan<T> _s106;
    private ReadOnlySpan<T> _s107;
    private ReadOnlySpan<T> _s108;
    private ReadOnlySpan<T> _s109;
    private ReadOnlySpan<T> _s110;
    private ReadOnlySpan<T> _s111;
    private ReadOnlySpan<T> _s112;
    private ReadOnlySpan<T> _s113;
    private ReadOnlySpan<T> _s114;
    private ReadOnlySpan<T> _s115;
    private ReadOnlySpan<T> _s116;
    private ReadOnlySpan<T> _s117;
    private ReadOnlySpan<T> _s118;
    private ReadOnlySpan<T> _s119;
    private ReadOnlySpan<T> _s120;
    private ReadOnlySpan<T> _s121;
    private ReadOnlySpan<T> _s122;
    private ReadOnlySpan<T> _s123;
    private ReadOnlySpan<T> _s124;
    private ReadOnlySpan<T> _s125;
    private ReadOnlySpan<T> _s126;
    private ReadOnlySpan<T> _s127;

    /// <summary>How many spans were added.</summary>
    public int Count { readonly get; private set; }

    /// <summary>Span <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    /// <param name="index">The span's position.</param>
    public readonly ReadOnlySpan<T> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"Holds {Count} spans, asked for span {index}.");
            }

            return index switch
            {
                0 => _s0,
                1 => _s1,
                2 => _s2,
                3 => _s3,
                4 => _s4,
                5 => _s5,
                6 => _s6,
                7 => _s7,
                8 => _s8,
                9 => _s9,
                10 => _s10,
                11 => _s11,
                12 => _s12,
                13 => _s13,
                14 => _s14,
                15 => _s15,
                16 => _s16,
                17 => _s17,
                18 => _s18,
                19 => _s19,
                20 => _s20,
                21 => _s21,
                22 => _s22,
                23 => _s23,
                24 => _s24,
                25 => _s25,
                26 => _s26,
                27 => _s27,
                28 => _s28,
                29 => _s29,
                30 => _s30,
                31 => _s31,
                32 => _s32,
                33 => _s33,
                34 => _s34,
                35 => _s35,
                36 => _s36,
                37 => _s37,
                38 => _s38,
                39 => _s39,
                40 => _s40,
                41 => _s41,
                42 => _s42,
                43 => _s43,
                44 => _s44,
                45 => _s45,
                46 => _s46,
                47 => _s47,
                48 => _s48,
                49 => _s49,
                50 => _s50,
                51 => _s51,
                52 => _s52,
                53 => _s53,
                54 => _s54,
                55 => _s55,
                56 => _s56,
                57 => _s57,
                58 => _s58,
                59 => _s59,
                60 => _s60,
                61 => _s61,
                62 => _s62,
                63 => _s63,
                64 => _s64,
                65 => _s65,
                66 => _s66,
                67 => _s67,
                68 => _s68,
                69 => _s69,
                70 => _s70,
                71 => _s71,
                72 => _s72,
                73 => _s73,
                74 => _s74,
                75 => _s75,
                76 => _s76,
                77 => _s77,
                78 => _s78,
                79 => _s79,
                80 => _s80,
                81 => _s81,
                82 => _s82,
                83 => _s83,
                84 => _s84,
                85 => _s85,
                86 => _s86,
                87 => _s87,
                88 => _s88,
                89 => _s89,
                90 => _s90,
                91 => _s91,
                92 => _s92,
                93 => _s93,
                94 => _s94,
                95 => _s95,
                96 => _s96,
                97 => _s97,
                98 => _s98,
                99 => _s99,
                100 => _s100,
                101 => _s101,
                102 => _s102,
                103 => _s103,
                104 => _s104,
                105 => _s105,
                106 => _s106,
                107 => _s107,
                108 => _s108,
                109 => _s109,
                110 => _s110,
                111 => _s111,
                112 => _s112,
                113 => _s113,
                114 => _s114,
                115 => _s115,
                116 => _s116,
                117 => _s117,
                118 => _s118,
                119 => _s119,
                120 => _s120,
                121 => _s121,
                122 => _s122,
                123 => _s123,
                124 => _s124,
                125 => _s125,
                126 => _s126,
                127 => _s127,
                _ => default,
            };
        }
    }

    /// <summary>Appends the next variable's span.</summary>
    /// <param name="span">Rows × dim values, row-major.</param>
    public void Add(ReadOnlySpan<T> span)
    {
        switch (Count)
        {
            case 0: _s0 = span; break;
            case 1: _s1 = span; break;
            case 2: _s2 = span; break;
            case 3: _s3 = span; break;
            case 4: _s4 = span; break;
            case 5: _s5 = span; break;
            case 6: _s6 = span; break;
            case 7: _s7 = span; break;
            case 8: _s8 = span; break;
            case 9: _s9 = span; break;
            case 10: _s10 = span; break;
            case 11: _s11 = span; break;
            case 12: _s12 = span; break;
            case 13: _s13 = span; break;
            case 14: _s14 = span; break;
            case 15: _s15 = span; break;
            case 16: _s16 = span; break;
            case 17: _s17 = span; break;
            case 18: _s18 = span; break;
            case 19: _s19 = span; break;
            case 20: _s20 = span; break;
            case 21: _s21 = span; break;
            case 22: _s22 = span; break;
            case 23: _s23 = span; break;
            case 24: _s24 = span; break;
            case 25: _s25 = span; break;
            case 26: _s26 = span; break;
            case 27: _s27 = span; break;
            case 28: _s28 = span; break;
            case 29: _s29 = span; break;
            case 30: _s30 = span; break;
            case 31: _s31 = span; break;
            case 32: _s32 = span; break;
            case 33: _s33 = span; break;
            case 34: _s34 = span; break;
            case 35: _s35 = span; break;
            case 36: _s36 = span; break;
            case 37: _s37 = span; break;
            case 38: _s38 = span; break;
            case 39: _s39 = span; break;
            case 40: _s40 = span; break;
            case 41: _s41 = span; break;
            case 42: _s42 = span; break;
            case 43: _s43 = span; break;
            case 44: _s44 = span; break;
            case 45: _s45 = span; break;
            case 46: _s46 = span; break;
            case 47: _s47 = span; break;
            case 48: _s48 = span; break;
            case 49: _s49 = span; break;
            case 50: _s50 = span; break;
            case 51: _s51 = span; break;
            case 52: _s52 = span; break;
            case 53: _s53 = span; break;
            case 54: _s54 = span; break;
            case 55: _s55 = span; break;
            case 56: _s56 = span; break;
            case 57: _s57 = span; break;
            case 58: _s58 = span; break;
            case 59: _s59 = span; break;
            case 60: _s60 = span; break;
            case 61: _s61 = span; break;
            case 62: _s62 = span; break;
            case 63: _s63 = span; break;
            case 64: _s64 = span; break;
            case 65: _s65 = span; break;
            case 66: _s66 = span; break;
            case 67: _s67 = span; break;
            case 68: _s68 = span; break;
            case 69: _s69 = span; break;
            case 70: _s70 = span; break;
            case 71: _s71 = span; break;
            case 72: _s72 = span; break;
            case 73: _s73 = span; break;
            case 74: _s74 = span; break;
            case 75: _s75 = span; break;
            case 76: _s76 = span; break;
            case 77: _s77 = span; break;
            case 78: _s78 = span; break;
            case 79: _s79 = span; break;
            case 80: _s80 = span; break;
            case 81: _s81 = span; break;
            case 82: _s82 = span; break;
            case 83: _s83 = span; break;
            case 84: _s84 = span; break;
            case 85: _s85 = span; break;
            case 86: _s86 = span; break;
            case 87: _s87 = span; break;
            case 88: _s88 = span; break;
            case 89: _s89 = span; break;
            case 90: _s90 = span; break;
            case 91: _s91 = span; break;
            case 92: _s92 = span; break;
            case 93: _s93 = span; break;
            case 94: _s94 = span; break;
            case 95: _s95 = span; break;
            case 96: _s96 = span; break;
            case 97: _s97 = span; break;
            case 98: _s98 = span; break;
            case 99: _s99 = span; break;
            case 100: _s100 = span; break;
            case 101: _s101 = span; break;
            case 102: _s102 = span; break;
            case 103: _s103 = span; break;
            case 104: _s104 = span; break;
            case 105: _s105 = span; break;
            case 106: _s106 = span; break;
            case 107: _s107 = span; break;
            case 108: _s108 = span; break;
            case 109: _s109 = span; break;
            case 110: _s110 = span; break;
            case 111: _s111 = span; break;
            case 112: _s112 = span; break;
            case 113: _s113 = span; break;
            case 114: _s114 = span; break;
            case 115: _s115 = span; break;
            case 116: _s116 = span; break;
            case 117: _s117 = span; break;
            case 118: _s118 = span; break;
            case 119: _s119 = span; break;
            case 120: _s120 = span; break;
            case 121: _s121 = span; break;
            case 122: _s122 = span; break;
            case 123: _s123 = span; break;
            case 124: _s124 = span; break;
            case 125: _s125 = span; break;
            case 126: _s126 = span; break;
            case 127: _s127 = span; break;
            default: throw new ArgumentException($"A call holds at most {Capacity} spans.", nameof(span));
        }

        Count++;
    }
}
