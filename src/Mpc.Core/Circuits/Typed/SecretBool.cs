using System.Numerics;

namespace Mpc.Core.Circuits.Typed;

/// <summary>A secret bit (a wire holding 0 or 1) of a <see cref="CircuitBuilder"/>, with logic operators.</summary>
/// <remarks>
/// Arithmetic encoding in the field: <c>a &amp; b = a·b</c> and <c>a | b = a + b − a·b</c> (one
/// multiplication each), <c>a ^ b = a + b − 2·a·b</c> (one), <c>!a = 1 − a</c> (free). Comparisons of
/// <see cref="SecretInt"/> and <see cref="SecretFixed"/> return SecretBool. An input declared with
/// <see cref="Input"/> is trusted to be 0 or 1 (checking it would itself cost a comparison).
/// </remarks>
public readonly struct SecretBool
{
    internal SecretBool(Wire wire)
    {
        Wire = wire;
    }

    /// <summary>The wire holding 0 or 1.</summary>
    public Wire Wire { get; }

    /// <summary>The builder this value belongs to.</summary>
    public CircuitBuilder Builder => Wire.Builder ?? throw new InvalidOperationException("default(SecretBool) is not a value of any circuit builder.");

    /// <summary>A secret bit provided by <paramref name="owner"/> (0 or 1, not checked).</summary>
    public static SecretBool Input(CircuitBuilder builder, string name, string owner)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new SecretBool(builder.Input(name, owner));
    }

    /// <summary>A public bit.</summary>
    public static SecretBool Constant(CircuitBuilder builder, bool value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new SecretBool(builder.Constant(value ? BigInteger.One : BigInteger.Zero));
    }

    /// <summary>AND: one multiplication.</summary>
    public static SecretBool operator &(SecretBool a, SecretBool b) => new(a.Builder.Mul(a.Wire, Same(a, b).Wire));

    /// <summary>OR: a + b − a·b, one multiplication.</summary>
    public static SecretBool operator |(SecretBool a, SecretBool b)
    {
        var bld = a.Builder;
        var sum = bld.Add(a.Wire, Same(a, b).Wire);
        return new(bld.Sub(sum, bld.Mul(a.Wire, b.Wire)));
    }

    /// <summary>XOR: a + b − 2·a·b, one multiplication.</summary>
    public static SecretBool operator ^(SecretBool a, SecretBool b)
    {
        var bld = a.Builder;
        var sum = bld.Add(a.Wire, Same(a, b).Wire);
        return new(bld.Sub(sum, bld.MulConst(bld.Mul(a.Wire, b.Wire), 2)));
    }

    /// <summary>NOT: 1 − a, free.</summary>
    public static SecretBool operator !(SecretBool a) => new(a.Builder.Sub(a.Builder.Constant(BigInteger.One), a.Wire));

    /// <summary>The bit as a 0/1 integer of <paramref name="bits"/> bits (free).</summary>
    public SecretInt ToInt(int bits = 2) => new(Wire, bits);

    /// <summary><paramref name="ifTrue"/> where this bit is 1, <paramref name="ifFalse"/> where it is 0: one multiplication.</summary>
    public SecretInt Select(SecretInt ifTrue, SecretInt ifFalse)
    {
        SecretInt.Same(ifTrue, ifFalse);
        return new SecretInt(Builder.Select(Wire, Own(ifTrue.Wire), ifFalse.Wire), ifTrue.Bits);
    }

    /// <summary><paramref name="ifTrue"/> where this bit is 1, <paramref name="ifFalse"/> where it is 0: one multiplication.</summary>
    public SecretFixed Select(SecretFixed ifTrue, SecretFixed ifFalse)
    {
        SecretFixed.Same(ifTrue, ifFalse);
        return new SecretFixed(Builder.Select(Wire, Own(ifTrue.Wire), ifFalse.Wire), ifTrue.Format);
    }

    /// <summary><paramref name="ifTrue"/> where this bit is 1, <paramref name="ifFalse"/> where it is 0: one multiplication.</summary>
    public SecretBool Select(SecretBool ifTrue, SecretBool ifFalse) =>
        new(Builder.Select(Wire, Own(ifTrue.Wire), Own(ifFalse.Wire)));

    /// <summary>Reveals the bit publicly as <paramref name="name"/>.</summary>
    public void Output(string name) => Builder.Output(name, Wire);

    /// <summary>Reveals the bit to <paramref name="party"/> only.</summary>
    public void OutputTo(string party, string name) => Builder.OutputTo(party, name, Wire);

    /// <inheritdoc />
    public override string ToString() => "bool " + Wire;

    private Wire Own(Wire w)
    {
        if (!ReferenceEquals(w.Builder, Builder))
            throw new ArgumentException($"Value {w} belongs to another circuit builder than the condition {Wire}.");
        return w;
    }

    private static SecretBool Same(SecretBool a, SecretBool b)
    {
        if (!ReferenceEquals(a.Builder, b.Builder))
            throw new ArgumentException($"Secret bools {a.Wire} and {b.Wire} belong to different circuit builders.");
        return b;
    }
}
