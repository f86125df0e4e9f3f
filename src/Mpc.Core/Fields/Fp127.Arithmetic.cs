using System.Runtime.CompilerServices;

namespace Mpc.Core.Fields;

public readonly partial struct Fp127
{
    // Limb arithmetic. Carries and borrows come from unsigned comparisons turned into 0/1 without a
    // branch (Unsafe.BitCast<bool, byte> compiles to setb/sete), and selections use all-ones masks.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Below(ulong a, ulong b) => Unsafe.BitCast<bool, byte>(a < b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong IsZero(ulong a) => Unsafe.BitCast<bool, byte>(a == 0);

    /// <summary>The canonical element congruent to <c>s = hi·2^64 + lo</c>, for any s ≤ 2p − 1.</summary>
    /// <remarks>
    /// With u = s + 1 ∈ [1, 2p], one Mersenne fold v = (u mod 2^127) + ⌊u / 2^127⌋ lands in [1, p]
    /// (if u ≥ 2^127 then v = u − 2^127 + 1 ≤ 2^127 − 1), so v − 1 ∈ [0, p − 1] is canonical and ≡ s.
    /// This replaces the usual fold-then-compare with additions only.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp127 Reduce(ulong hi, ulong lo)
    {
        ulong u0 = lo + 1;
        ulong u1 = hi + IsZero(u0);
        ulong v0 = u0 + (u1 >> 63);
        ulong v1 = (u1 & P1) + Below(v0, u0);
        return new(v1 - IsZero(v0), v0 - 1);
    }

    /// <summary>The canonical element congruent to <c>(hi·2^64 + lo) + extra</c>, where hi &lt; 2^63 and extra ≤ p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp127 Canonical(ulong hi, ulong lo, ulong extra)
    {
        ulong s0 = lo + extra;
        return Reduce(hi + Below(s0, lo), s0);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp127 operator +(Fp127 a, Fp127 b)
    {
        // s = a + b ≤ 2p − 2 < 2^128: no overflow; Reduce handles the rest.
        ulong s0 = a.Low + b.Low;
        ulong s1 = a.High + b.High + Below(s0, a.Low);
        return Reduce(s1, s0);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp127 operator -(Fp127 a, Fp127 b)
    {
        // d = a − b mod 2^128; when it borrowed (a < b), add p back. p's limbs masked: (mask, mask >> 1).
        ulong d0 = a.Low - b.Low;
        ulong borrow = Below(a.Low, b.Low);
        ulong d1 = a.High - b.High - borrow;
        ulong mask = 0UL - Below(a.High, b.High + borrow); // b.High + borrow ≤ 2^63: no overflow
        ulong r0 = d0 + mask;
        ulong r1 = d1 + (mask >> 1) + Below(r0, d0);
        return new(r1, r0);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp127 operator -(Fp127 a) => Zero - a;

    /// <inheritdoc />
    /// <remarks>
    /// Schoolbook 128×128 → 254-bit product from four <see cref="Math.BigMul(ulong, ulong, out ulong)"/>,
    /// then the Mersenne fold w ≡ (w mod 2^127) + ⌊w / 2^127⌋ (see <see cref="MultiplyAdd(Fp127, Fp127, Fp127)"/>).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp127 operator *(Fp127 a, Fp127 b) => MultiplyAdd(a, b, 0, 0);

    /// <summary><c>a·b + z</c> with one reduction: z joins the 254-bit product before the fold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Fp127 MultiplyAdd(Fp127 a, Fp127 b, Fp127 z) => MultiplyAdd(a, b, z.High, z.Low);

    /// <summary>
    /// w = a·b + (zHigh·2^64 + zLow) from four <see cref="Math.BigMul(ulong, ulong, out ulong)"/>, then the Mersenne
    /// fold w ≡ (w mod 2^127) + ⌊w / 2^127⌋.
    /// </summary>
    /// <remarks>
    /// For canonical a, b, z: w ≤ (p − 1)² + (p − 1) = p·(p − 1), so ⌊w / 2^127⌋ &lt; p − 1 and the fold's sum
    /// s &lt; 2^127 + p − 1 = 2p is at most 2p − 1, which <see cref="Reduce"/> finishes. Adding z before the fold costs
    /// a few carries instead of a second reduction; with z = 0 (the plain product) the JIT folds them away.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp127 MultiplyAdd(Fp127 a, Fp127 b, ulong zHigh, ulong zLow)
    {
        ulong h00 = Math.BigMul(a.Low, b.Low, out ulong l00);
        ulong h01 = Math.BigMul(a.Low, b.High, out ulong l01);   // < 2^127
        ulong h10 = Math.BigMul(a.High, b.Low, out ulong l10);   // < 2^127
        ulong h11 = Math.BigMul(a.High, b.High, out ulong l11);  // < 2^126

        // Middle term m = a.Low·b.High + a.High·b.Low < 2^128 fits two limbs.
        ulong m0 = l01 + l10;
        ulong m1 = h01 + h10 + Below(m0, l01);

        // w = w3·2^192 + w2·2^128 + w1·2^64 + w0 < 2^254, z included.
        ulong w0 = l00 + zLow;
        ulong t = zHigh + Below(w0, zLow);                       // zHigh < 2^63: no overflow
        ulong w1 = h00 + m0;
        ulong c1 = Below(w1, m0);
        w1 += t;
        c1 += Below(w1, t);
        ulong w2 = m1 + l11;
        ulong c2 = Below(w2, l11);
        w2 += c1;
        c2 += Below(w2, c1);
        ulong w3 = h11 + c2;

        // q = ⌊w / 2^127⌋ (< p − 1) and s = (w mod 2^127) + q ≤ 2p − 1.
        ulong q0 = (w1 >> 63) | (w2 << 1);
        ulong q1 = (w2 >> 63) | (w3 << 1);
        ulong s0 = w0 + q0;
        ulong s1 = (w1 & P1) + q1 + Below(s0, w0);
        return Reduce(s1, s0);
    }
}
