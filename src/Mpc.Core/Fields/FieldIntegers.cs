using System.Numerics;

namespace Mpc.Core.Fields;

/// <summary>The signed-integer view of field elements used for inputs and outputs.</summary>
/// <remarks>
/// An integer v with |v| ≤ (p − 1)/2 is encoded as v mod p; decoding maps elements above (p − 1)/2 back to
/// negatives. The range is symmetric so that every element has exactly one integer reading and a value
/// outside it is refused rather than silently wrapped.
/// In characteristic 2 (<see cref="Gf2k64"/>) there are no signed integers: values are the field's bit
/// patterns in [0, 2^k), negatives are refused, and decoding returns the bit pattern unchanged.
/// </remarks>
public static class FieldIntegers
{
    /// <summary>Encodes a signed integer.</summary>
    /// <param name="value">The integer.</param>
    /// <param name="what">Names the value in the error message (e.g. the input's name).</param>
    /// <exception cref="ArgumentOutOfRangeException">|value| &gt; (p − 1)/2; in characteristic 2, value outside [0, 2^k).</exception>
    public static T FromSigned<T>(BigInteger value, string what) where T : struct, IField<T>
    {
        if (T.Modulus.IsEven)
        {
            if (value.Sign < 0 || value >= T.Modulus)
                throw new ArgumentOutOfRangeException(what, value,
                    $"'{what}' = {value} is out of range for {T.Name}: a binary field has no signed integers; values must lie in [0, {T.Modulus - 1}].");
            return T.FromBigInteger(value);
        }
        BigInteger half = (T.Modulus - 1) / 2;
        if (BigInteger.Abs(value) > half)
            throw new ArgumentOutOfRangeException(what, value,
                $"'{what}' = {value} is out of range for {T.Name}: values must lie in [-{half}, {half}].");
        return T.FromBigInteger(value);
    }

    /// <summary>Decodes to the signed integer in [−(p − 1)/2, (p − 1)/2] (in characteristic 2: the bit pattern).</summary>
    public static BigInteger ToSigned<T>(T value) where T : struct, IField<T>
    {
        BigInteger v = value.ToBigInteger();
        return !T.Modulus.IsEven && v > (T.Modulus - 1) / 2 ? v - T.Modulus : v;
    }
}
