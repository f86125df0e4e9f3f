using System.Numerics;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Fields;

public class Fp61SmokeTests
{
    [Fact]
    public void InverseTimesValueIsOne()
    {
        var x = Fp61.FromUInt64(123456789);
        Assert.Equal(Fp61.One, x * x.Inverse());
        Assert.Equal((BigInteger)Fp61.P - 1, (-Fp61.One).ToBigInteger());
    }
}
