using Mpc.Core.Circuits;
using Mpc.Core.Circuits.Language;
using Mpc.Core.Engine;
using Mpc.Core.Fields;

namespace Mpc.Cli.Tests;

/// <summary>The output lines <c>mpc run</c> and <c>mpc job run</c> both print.</summary>
public class OutputTextTests
{
    private static readonly OutputValue<Fp61>[] Outputs =
    [
        new("half", OutputVisibility.Public, null, Fp61.FromBigInteger(-81920)),
        new("ok", OutputVisibility.Private, "bob", Fp61.One),
        new("n", OutputVisibility.Public, null, Fp61.FromBigInteger(7)),
    ];

    [Fact]
    public void A_program_s_fixed_and_bool_outputs_read_as_their_type()
    {
        var contract = new ContractInterface([],
        [
            new ContractValue("half", null, ScalarKind.Fixed, ["half"]),
            new ContractValue("ok", "bob", ScalarKind.Bool, ["ok"]),
            new ContractValue("n", null, ScalarKind.Int32, ["n"]),
        ]);

        var lines = OutputText.Describe(Outputs, contract);

        Assert.Equal(["half = -1.25", "ok = true   (private to bob)", "n = 7"], lines.Select(l => l.Line));
        Assert.Equal([-81920, 1, 7], lines.Select(l => (int)l.Value));
    }

    [Fact]
    public void Ir_outputs_are_signed_integers()
    {
        var lines = OutputText.Describe(Outputs, contract: null);

        Assert.Equal(["half = -81920", "ok = 1   (private to bob)", "n = 7"], lines.Select(l => l.Line));
    }
}
