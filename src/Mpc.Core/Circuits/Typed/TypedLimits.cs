namespace Mpc.Core.Circuits.Typed;

/// <summary>Bit budgets of the typed layer: what the integer gates accept in Fp127 at the default κ.</summary>
/// <remarks>
/// Every integer gate on k bits needs k + κ + 1 &lt; log2 p (Catrina–de Hoogh 2010, §2; docs/integers.md).
/// With p = 2^127 − 1 and κ = 40 the largest gate is k = 85, so a k-bit comparison (LTZ of the
/// (k + 1)-bit difference) allows k ≤ 84 and a fixed-point product (TruncPr on k + f bits) allows
/// k + f ≤ 85. The typed values check these budgets when they are built, so a format that cannot run
/// is refused by the builder with its reason instead of by the engine at run time.
/// </remarks>
public static class TypedLimits
{
    /// <summary>Largest bit length of one integer gate in Fp127 at κ = 40 (85 + 40 + 1 &lt; 127).</summary>
    public const int MaxGateBits = 85;

    /// <summary>Largest width of a <see cref="SecretInt"/> or a fixed-point k (their comparisons use k + 1 bits).</summary>
    public const int MaxValueBits = MaxGateBits - 1;

    internal static void CheckGate(int bits, string what)
    {
        if (bits > MaxGateBits)
            throw new ArgumentException(
                $"{what} needs an integer gate of {bits} bits, more than the {MaxGateBits} that fit Fp127 at κ = 40 (k + κ + 1 < 127).");
    }

    internal static void CheckWidth(int bits, string paramName)
    {
        if (bits < 2 || bits > MaxValueBits)
            throw new ArgumentOutOfRangeException(paramName, bits, $"A secret integer width must be between 2 and {MaxValueBits} bits (its comparisons use k + 1 ≤ {MaxGateBits} bits).");
    }
}
