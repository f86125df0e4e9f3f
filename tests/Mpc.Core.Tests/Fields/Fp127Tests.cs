using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Fields;

/// <summary>The generic field tests for GF(2^127 − 1), plus its 128-bit-specific members.</summary>
public sealed class Fp127Tests : FieldTests<Fp127>
{
    [Property]
    public Property ConstantTimePowMatchesModPow(ulong e0, ulong e1) => Prop.ForAll(Elements, a =>
    {
        var e = new UInt128(e1, e0);
        return a.Pow(e).ToBigInteger() == BigInteger.ModPow(a.ToBigInteger(), (BigInteger)e, P);
    });

    [Property]
    public Property FromUInt128Reduces(ulong hi, ulong lo)
    {
        var v = new UInt128(hi, lo);
        return (Fp127.FromUInt128(v).ToBigInteger() == Mod((BigInteger)v)).ToProperty();
    }

    [Fact]
    public void FromUInt128ReducesExtremes()
    {
        Assert.Equal(Fp127.Zero, Fp127.FromUInt128(Fp127.P));
        Assert.Equal(Fp127.One, Fp127.FromUInt128(UInt128.MaxValue)); // 2^128 − 1 = 2p + 1
        Assert.Equal(Fp127.Zero, Fp127.FromUInt128(UInt128.MaxValue - 1));
    }

    [Property]
    public Property LimbsAreTheValue() => Prop.ForAll(Elements, a =>
        a.Value == new UInt128(a.High, a.Low) && a.High < 1UL << 63 && (BigInteger)a.Value == a.ToBigInteger());
}
