using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mpc.Core.Fields;

public readonly partial struct Gf2k64
{
    /// <summary>The 128-bit carry-less (GF(2)[x]) product of two 64-bit polynomials.</summary>
    /// <returns>The high 64 coefficient bits (x^64..x^127); <paramref name="low"/> gets x^0..x^63.</returns>
    /// <remarks>One <c>PCLMULQDQ</c> where the CPU has it (the JIT folds the test), else <see cref="CarrylessMultiplyPortable"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CarrylessMultiply(ulong a, ulong b, out ulong low)
    {
        if (Pclmulqdq.IsSupported)
        {
            Vector128<ulong> p = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b), 0x00);
            low = p.ToScalar();
            return p.GetElement(1);
        }
        return CarrylessMultiplyPortable(a, b, out low);
    }

    /// <summary>The carry-less product without special instructions, in constant time.</summary>
    /// <remarks>
    /// Shift-and-XOR over all 64 bits of <paramref name="b"/>, each step masked by that bit instead of
    /// branching on it (a table-driven window would index memory by secret bits, a cache-timing leak).
    /// About 20× slower than one <c>PCLMULQDQ</c>; only used on CPUs without it.
    /// </remarks>
    public static ulong CarrylessMultiplyPortable(ulong a, ulong b, out ulong low)
    {
        ulong lo = a & (0UL - (b & 1)), hi = 0;
        for (int i = 1; i < 64; i++)
        {
            ulong mask = 0UL - ((b >> i) & 1);
            lo ^= (a << i) & mask;
            hi ^= (a >> (64 - i)) & mask;
        }
        low = lo;
        return hi;
    }

    /// <summary>Reduces <c>hi·x^64 + lo</c> modulo x^64 + x^4 + x^3 + x + 1.</summary>
    /// <remarks>
    /// x^64 ≡ r = x^4 + x^3 + x + 1, so hi·x^64 ≡ hi·r = hi ⊕ hi≪1 ⊕ hi≪3 ⊕ hi≪4 plus the bits shifted out
    /// past x^63, o = hi≫63 ⊕ hi≫61 ⊕ hi≫60 (degree ≤ 3). o·r has degree ≤ 7 and needs no further
    /// reduction. Shifts and XORs only: constant time.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Reduce(ulong hi, ulong lo)
    {
        ulong overflow = (hi >> 63) ^ (hi >> 61) ^ (hi >> 60);
        ulong folded = hi ^ overflow;
        return lo ^ folded ^ (folded << 1) ^ (folded << 3) ^ (folded << 4);
    }
}
