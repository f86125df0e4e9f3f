namespace Mpc.Core.Circuits.Bristol;

/// <summary>
/// Generates the Bristol Fashion circuits in <c>circuits/bristol/</c>: integer arithmetic for tests and an
/// AES-128-shaped cipher for the benchmark. Every value is little-endian on its wires (wire 0 = bit 0, <see cref="BitOrder.Lsb"/>).
/// </summary>
public static class BristolGenerators
{
    /// <summary>n-bit adder: inputs a, b (n bits each); output (a + b) mod 2^n. Ripple carry: n − 1 ANDs, n − 1 AND layers.</summary>
    public static BristolCircuit Adder(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        var b = new BristolBuilder();
        int[] x = b.Input(bits), y = b.Input(bits);
        b.Output(Add(b, x, y));
        return b.Build();
    }

    /// <summary>n-bit unsigned comparator: inputs a, b (n bits each); output one bit, a &lt; b. n ANDs, n AND layers.</summary>
    /// <remarks>
    /// The borrow of a − b: borrow' = maj(¬a_i, b_i, borrow) = b_i ⊕ ((a_i ⊕ borrow) ∧ (b_i ⊕ borrow)),
    /// one AND per bit; a &lt; b exactly when the final borrow is 1.
    /// </remarks>
    public static BristolCircuit LessThan(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        var b = new BristolBuilder();
        int[] x = b.Input(bits), y = b.Input(bits);
        int borrow = b.And(b.Inv(x[0]), y[0]);
        for (int i = 1; i < bits; i++)
            borrow = b.Xor(y[i], b.And(b.Xor(x[i], borrow), b.Xor(y[i], borrow)));
        b.Output([borrow]);
        return b.Build();
    }

    /// <summary>n-bit multiplier: inputs a, b (n bits each); output the low n bits of a·b. Schoolbook: n² − n + 1 ANDs.</summary>
    /// <remarks>Row i adds the partial product a·b_i (bits i..n−1 only) into the accumulator with a ripple-carry adder.</remarks>
    public static BristolCircuit Multiplier(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        var b = new BristolBuilder();
        int[] x = b.Input(bits), y = b.Input(bits);
        var acc = new int[bits];
        for (int j = 0; j < bits; j++) acc[j] = b.And(x[j], y[0]);
        for (int i = 1; i < bits; i++)
        {
            var row = new int[bits - i];
            for (int j = 0; j < row.Length; j++) row[j] = b.And(x[j], y[i]);
            Add(b, acc.AsSpan(i), row).CopyTo(acc, i);
        }
        b.Output(acc);
        return b.Build();
    }

    /// <summary>Bytes of AES's round constants rcon_1..rcon_10 (FIPS 197, §5.2).</summary>
    public static ReadOnlySpan<byte> RoundConstants => [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36];

    /// <summary>The χ steps of <see cref="AesShaped"/>'s S-box: (p, q, which bits change) with y_i = x_i ⊕ (¬x_{i+p} ∧ x_{i+q}), indices mod 8.</summary>
    public static ReadOnlySpan<(int P, int Q, byte Mask)> SboxSteps => Steps;

    private static readonly (int P, int Q, byte Mask)[] Steps =
        [(1, 2, 0xFF), (3, 5, 0xFF), (1, 2, 0x55), (1, 2, 0xAA), (3, 5, 0x55), (3, 5, 0xAA)];

    /// <summary>
    /// A benchmark circuit with AES-128's interface and cost: inputs key and plaintext (128 bits each), output
    /// the 128-bit ciphertext; 6,400 ANDs in 60 AND layers. It is <b>not</b> AES (and not a cipher to rely on).
    /// </summary>
    /// <remarks>
    /// <para>FIPS 197's structure with the S-box replaced: the key expansion (RotWord, SubWord, rcon),
    /// an initial AddRoundKey, 9 rounds of SubBytes, ShiftRows, MixColumns, AddRoundKey and a final round
    /// without MixColumns. ShiftRows, MixColumns and the round constants are AES's own (XOR and INV gates only).</para>
    /// <para>The S-box is six χ steps on the byte (Daemen's χ from Keccak: x_i ⊕ (¬x_{i+p} ∧ x_{i+q}), see
    /// <see cref="SboxSteps"/>): 8 + 8 + 4 + 4 + 4 + 4 = 32 ANDs of AND-depth 6, the same as the depth-6
    /// Boyar–Peralta AES S-box circuits. 160 data and 40 key-schedule S-boxes give 6,400 ANDs; round r's
    /// key and state both reach depth 6r, so the circuit has 60 AND layers, like the public AES-128 circuit.</para>
    /// <para>Bytes are in FIPS 197 order (byte j of the state is row j mod 4, column j / 4) and byte j
    /// occupies wires 8j..8j+7, least significant bit first.</para>
    /// </remarks>
    public static BristolCircuit AesShaped()
    {
        var b = new BristolBuilder();
        int[] key = b.Input(128), plain = b.Input(128);
        int[] state = b.Xor(plain, key);
        int[] roundKey = key;
        for (int round = 1; round <= 10; round++)
        {
            roundKey = ExpandKey(b, roundKey, RoundConstants[round - 1]);
            var substituted = new int[128];
            for (int j = 0; j < 16; j++) Sbox(b, state.AsSpan(8 * j, 8)).CopyTo(substituted, 8 * j);
            state = ShiftRows(substituted);
            if (round < 10) state = MixColumns(b, state);
            state = b.Xor(state, roundKey);
        }
        b.Output(state);
        return b.Build();
    }

    /// <summary>Ripple-carry a + b mod 2^n: s_i = a_i ⊕ b_i ⊕ c_i, c_{i+1} = c_i ⊕ ((a_i ⊕ c_i) ∧ (b_i ⊕ c_i)).</summary>
    private static int[] Add(BristolBuilder b, ReadOnlySpan<int> x, ReadOnlySpan<int> y)
    {
        var sum = new int[x.Length];
        sum[0] = b.Xor(x[0], y[0]);
        if (x.Length == 1) return sum;
        int carry = b.And(x[0], y[0]);
        for (int i = 1; i < x.Length; i++)
        {
            sum[i] = b.Xor(b.Xor(x[i], y[i]), carry);
            if (i + 1 < x.Length) carry = b.Xor(carry, b.And(b.Xor(x[i], carry), b.Xor(y[i], carry)));
        }
        return sum;
    }

    private static int[] Sbox(BristolBuilder b, ReadOnlySpan<int> input)
    {
        int[] x = input.ToArray();
        foreach (var (p, q, mask) in SboxSteps)
        {
            var y = (int[])x.Clone();
            for (int i = 0; i < 8; i++)
                if (((mask >> i) & 1) != 0) y[i] = b.Xor(x[i], b.And(b.Inv(x[(i + p) % 8]), x[(i + q) % 8]));
            x = y;
        }
        return x;
    }

    /// <summary>FIPS 197 §5.2 for one round: w0' = w0 ⊕ SubWord(RotWord(w3)) ⊕ rcon, w_i' = w_i ⊕ w_{i−1}'.</summary>
    private static int[] ExpandKey(BristolBuilder b, int[] key, byte rcon)
    {
        var temp = new int[32];
        for (int k = 0; k < 4; k++) Sbox(b, key.AsSpan(96 + 8 * ((k + 1) % 4), 8)).CopyTo(temp, 8 * k);
        for (int bit = 0; bit < 8; bit++)
            if (((rcon >> bit) & 1) != 0) temp[bit] = b.Inv(temp[bit]);
        var next = new int[128];
        b.Xor(key.AsSpan(0, 32), temp).CopyTo(next, 0);
        for (int w = 1; w < 4; w++) b.Xor(key.AsSpan(32 * w, 32), next.AsSpan(32 * (w - 1), 32)).CopyTo(next, 32 * w);
        return next;
    }

    /// <summary>Row r of the state rotates left by r columns: new byte (r, c) = old byte (r, c + r).</summary>
    private static int[] ShiftRows(int[] s)
    {
        var r = new int[128];
        for (int row = 0; row < 4; row++)
            for (int col = 0; col < 4; col++)
                Array.Copy(s, 8 * (row + 4 * ((col + row) % 4)), r, 8 * (row + 4 * col), 8);
        return r;
    }

    /// <summary>AES MixColumns: r_i = 2·a_i ⊕ 3·a_{i+1} ⊕ a_{i+2} ⊕ a_{i+3} = xtime(a_i ⊕ a_{i+1}) ⊕ a_{i+1} ⊕ a_{i+2} ⊕ a_{i+3}.</summary>
    private static int[] MixColumns(BristolBuilder b, int[] s)
    {
        var r = new int[128];
        for (int col = 0; col < 4; col++)
        {
            int[][] a = new int[4][];
            for (int i = 0; i < 4; i++) a[i] = s.AsSpan(8 * (i + 4 * col), 8).ToArray();
            for (int i = 0; i < 4; i++)
            {
                int[] t = XTime(b, b.Xor(a[i], a[(i + 1) % 4]));
                t = b.Xor(b.Xor(t, a[(i + 1) % 4]), b.Xor(a[(i + 2) % 4], a[(i + 3) % 4]));
                t.CopyTo(r, 8 * (i + 4 * col));
            }
        }
        return r;
    }

    /// <summary>Multiplication by x in GF(2^8) mod x^8 + x^4 + x^3 + x + 1: shift up, fold bit 7 into bits 0, 1, 3, 4.</summary>
    private static int[] XTime(BristolBuilder b, int[] a)
    {
        int top = a[7];
        return [top, b.Xor(a[0], top), a[1], b.Xor(a[2], top), b.Xor(a[3], top), a[4], a[5], a[6]];
    }
}
