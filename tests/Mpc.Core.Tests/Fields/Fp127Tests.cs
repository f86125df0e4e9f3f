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

    /// <summary>The vectorised add and subtract with the widest vector pinned to 512, 256 and 0 bits, against the scalar operators.</summary>
    [Property(MaxTest = 60)]
    public Property VectorAddSubtractMatchScalarAtEveryWidth() => Prop.ForAll(Triples, t =>
    {
        var (x, y, _) = t;
        Fp127[] sum = x.Zip(y, (a, b) => a + b).ToArray(), difference = x.Zip(y, (a, b) => a - b).ToArray();
        foreach (int bits in new[] { 512, 256, 0 })
        {
            foreach (bool subtract in new[] { false, true })
            {
                Fp127[] expected = subtract ? difference : sum;
                var fresh = new Fp127[x.Length + 1];
                fresh[^1] = Fp127.One;
                Fp127.AddOrSubtract(x, y, fresh, subtract, bits);
                Fp127[] ax = (Fp127[])x.Clone(), ay = (Fp127[])y.Clone();
                Fp127.AddOrSubtract(ax, y, ax, subtract, bits);
                Fp127.AddOrSubtract(x, ay, ay, subtract, bits);
                if (!fresh.AsSpan(0, x.Length).SequenceEqual(expected) || fresh[^1] != Fp127.One ||
                    !ax.SequenceEqual(expected) || !ay.SequenceEqual(expected)) return false;
            }
        }
        return true;
    });

    [Fact]
    public void VectorAddSubtractOnEdgeValuesAtEveryWidth()
    {
        Fp127[] edges = EdgeValues.Select(F).ToArray();
        Fp127[] x = edges.SelectMany(a => edges.Select(_ => a)).ToArray(), y = edges.SelectMany(_ => edges).ToArray();
        foreach (int bits in new[] { 512, 256, 0 })
        {
            var d = new Fp127[x.Length];
            Fp127.AddOrSubtract(x, y, d, subtract: false, bits);
            Assert.Equal(x.Zip(y, (a, b) => a + b), d);
            Fp127.AddOrSubtract(x, y, d, subtract: true, bits);
            Assert.Equal(x.Zip(y, (a, b) => a - b), d);
        }
    }

    /// <summary>The fused a·b + z (one reduction) on every triple of edge values, where its carries and the fold bound are tightest.</summary>
    [Fact]
    public void FusedMultiplyAddOnEdgeValues()
    {
        foreach (var a in EdgeValues)
        foreach (var b in EdgeValues)
        foreach (var z in EdgeValues)
            Assert.Equal(Mod(Mod(a) * Mod(b) + Mod(z)), R(Fp127.MultiplyAdd(F(a), F(b), F(z))));
    }
}
