using System.Numerics;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;

namespace Mpc.Core.Tests.Circuits;

public class CircuitBuilderTests
{
    [Fact]
    public void BuilderAndTextGiveTheSameInnerProductCircuit()
    {
        var b = new CircuitBuilder("inner_product");
        var x = Enumerable.Range(0, 4).Select(i => b.Input("x" + i, owner: "alice")).ToArray();
        var y = Enumerable.Range(0, 4).Select(i => b.Input("y" + i, owner: "bob")).ToArray();
        var products = x.Zip(y, (xi, yi) => xi * yi).ToArray();
        b.Output("result", (products[0] + products[1]) + (products[2] + products[3]));

        var built = b.Build();
        var parsed = CircuitFiles.Load(Path.Combine(ExampleCircuits.Directory, "inner_product.ir"));

        Assert.Equal(parsed, built);
        Assert.Equal(parsed.Id, built.Id);
    }

    [Fact]
    public void OperatorsAppendTheDocumentedGates()
    {
        var b = new CircuitBuilder("ops");
        var x = b.Input("x", "alice");
        var y = b.Input("y", "bob");
        b.OutputTo("carol", "r", -(x - 3) * 2 + (5 - y) * x);

        var c = b.Build();

        Assert.Equal(
            "circuit ops\nparty alice\nparty bob\nparty carol\n\n" +
            "%0 = input x @alice\n%1 = input y @bob\n%2 = const 3\n%3 = sub %0 %2\n%4 = mulc %3 -1\n%5 = mulc %4 2\n" +
            "%6 = const 5\n%7 = sub %6 %1\n%8 = mul %7 %0\n%9 = add %5 %8\n%10 = output r %9 @carol\n",
            CircuitText.Print(c));
        var outputs = CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp61> { ["x"] = Fp61.FromUInt64(10), ["y"] = Fp61.FromUInt64(4) });
        Assert.Equal(Fp61.FromBigInteger(-(10 - 3) * 2 + (5 - 4) * 10), outputs["r"]);
    }

    [Fact]
    public void SumAndExplicitPartyDeclarations()
    {
        var b = new CircuitBuilder("s").Party("dave");
        var w = Enumerable.Range(0, 3).Select(i => b.Input("v" + i, "alice")).ToList();
        b.Output("total", b.Sum(w));

        var c = b.Build();

        Assert.Equal<string>(["alice", "dave"], c.Parties);
        Assert.Equal(2, c.Gates.Count(g => g.Kind == GateKind.Add));
        Assert.Throws<ArgumentException>(() => b.Sum([]));
    }

    [Fact]
    public void BadUseIsRejectedWithClearErrors()
    {
        var b = new CircuitBuilder("b");
        var other = new CircuitBuilder("o").Input("z", "alice");
        var x = b.Input("x", "alice");

        Assert.Contains("another circuit builder", Assert.Throws<ArgumentException>(() => b.Add(x, other)).Message);
        Assert.Contains("not an identifier", Assert.Throws<ArgumentException>(() => new CircuitBuilder("no spaces")).Message);
        Assert.Contains("has no outputs", Assert.Throws<CircuitValidationException>(() => b.Build()).Message);
        Assert.Throws<InvalidOperationException>(() => default(Wire) + x);
        b.Input("x", "alice");
        b.Output("o", x);
        Assert.Equal("gate %1: duplicate input 'alice.x'", Assert.Throws<CircuitValidationException>(() => b.Build()).Message);
    }

    [Fact]
    public void ConstantsStayIntegersUntilEvaluation()
    {
        var big = BigInteger.Pow(2, 200) + 5;
        var b = new CircuitBuilder("k");
        b.Output("o", b.Input("x", "alice") * big);

        var c = b.Build();
        var outputs = CircuitEvaluator.Evaluate(c, new Dictionary<string, Fp61> { ["alice.x"] = Fp61.One });

        Assert.Equal(big, c.Gates[1].Constant);
        Assert.Equal(Fp61.FromBigInteger(big), outputs["o"]);
    }
}
