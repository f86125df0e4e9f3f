using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Fields;

/// <summary>The generic field tests for GF(2^61 − 1), plus its 64-bit-specific members.</summary>
public sealed class Fp61Tests : FieldTests<Fp61>
{
    [Property]
    public Property ConstantTimePowMatchesModPow(ulong e) => Prop.ForAll(Elements, a =>
        (BigInteger)a.Pow(e).Value == BigInteger.ModPow(a.Value, e, P));

    [Fact]
    public void ValueIsTheCanonicalRepresentative() =>
        Assert.Equal(Fp61.P - 1, (-Fp61.One).Value);
}
