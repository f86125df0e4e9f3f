using System.Numerics;

namespace Mpc.Core.Circuits.Bristol;

/// <summary>How the bits of an integer value map onto the wires of one Bristol input or output.</summary>
public enum BitOrder
{
    /// <summary>The value's bit 0 (least significant) is the first wire. The generated circuits in <c>circuits/bristol/</c> use this.</summary>
    Lsb,

    /// <summary>The value's most significant bit is the first wire.</summary>
    Msb,
}

/// <summary>Converts between integer values and the bits on a Bristol value's wires.</summary>
public static class BristolBits
{
    /// <summary>The <paramref name="width"/> wire bits of <paramref name="value"/>, first wire first.</summary>
    /// <param name="value">A non-negative integer below 2^width.</param>
    /// <param name="width">Wires of the input.</param>
    /// <param name="order">Which end of the value feeds the first wire.</param>
    /// <param name="what">Names the value in the error message.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or wider than <paramref name="width"/> bits.</exception>
    public static bool[] ToBits(BigInteger value, int width, BitOrder order, string what)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (value.Sign < 0 || value.GetBitLength() > width)
            throw new ArgumentOutOfRangeException(what, value,
                $"{what} = 0x{value:x} needs {value.GetBitLength()} bits; the input has {width}.");
        var bits = new bool[width];
        for (int i = 0; i < width; i++)
            bits[order == BitOrder.Lsb ? i : width - 1 - i] = !((value >> i) & 1).IsZero;
        return bits;
    }

    /// <summary>The value whose bits are on the wires <paramref name="bits"/> (first wire first).</summary>
    public static BigInteger FromBits(ReadOnlySpan<bool> bits, BitOrder order)
    {
        BigInteger value = BigInteger.Zero;
        for (int i = 0; i < bits.Length; i++)
            if (bits[order == BitOrder.Lsb ? i : bits.Length - 1 - i]) value |= BigInteger.One << i;
        return value;
    }
}
