using System.Numerics;
using Mpc.Core.Circuits;

namespace Mpc.Core.Tests.Circuits;

public class CircuitValidationTests
{
    public static TheoryData<Gate[], string> BadGates => new()
    {
        { [Gate.Input("x", "alice"), Gate.Add(0, -1), Gate.Output("o", 1)], "gate %1: second operand %-1 is not a wire" },
        { [Gate.Input("x", "alice"), Gate.Output("o", 0) with { Right = 0 }], "gate %1: output gate has no second operand but names %0" },
        { [Gate.Input("x", "alice") with { Constant = 3 }, Gate.Output("o", 0)], "gate %0: input gate carries a constant" },
        { [Gate.Const(1) with { Name = "k" }, Gate.Output("o", 0)], "gate %0: const gate carries a name or party" },
        { [new Gate((GateKind)42, -1, -1, BigInteger.Zero, null, null), Gate.Output("o", 0)], "gate %0: undefined gate kind 42" },
        { [Gate.Input("x", "alice") with { Party = null }, Gate.Output("o", 0)], "gate %0: input 'x' has no owner" },
        { [Gate.Input("x y", "alice"), Gate.Output("o", 0)], "gate %0: input name 'x y' is not an identifier" },
        { [Gate.Input("x", "alice"), Gate.Output("o", 0, "mallory")], "gate %1: unknown party 'mallory' (declared: alice)" },
    };

    [Theory]
    [MemberData(nameof(BadGates))]
    public void InvalidGatesAreRejectedWithTheirIndex(Gate[] gates, string message)
    {
        var e = Assert.Throws<CircuitValidationException>(() => new Circuit("c", ["alice"], gates));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void InputsResolveByQualifiedOrUnambiguousBareName()
    {
        var c = new Circuit("c", ["bob", "alice"],
            [Gate.Input("x", "alice"), Gate.Input("x", "bob"), Gate.Input("y", "bob"), Gate.Output("o", 2)]);

        Assert.True(c.TryGetInput("bob.x", out var bx));
        Assert.Equal(1, bx.Wire);
        Assert.True(c.TryGetInput("y", out var y));
        Assert.Equal("bob.y", y.QualifiedName);
        Assert.False(c.TryGetInput("x", out _)); // ambiguous
        Assert.False(c.TryGetInput("carol.x", out _));
    }
}
