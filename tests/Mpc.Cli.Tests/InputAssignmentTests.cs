using System.Numerics;

namespace Mpc.Cli.Tests;

public class InputAssignmentTests
{
    [Theory]
    [InlineData("alice.x=42", "alice", "x", "42")]
    [InlineData("bob.y0=-7", "bob", "y0", "-7")]
    [InlineData("carol.v=0xff", "carol", "v", "255")]
    [InlineData("carol.v=-0x10", "carol", "v", "-16")]
    [InlineData("alice.v=[1, 2,-3]", "alice", "v", "1,2,-3")]
    public void Parses_owner_name_and_values(string text, string owner, string name, string values)
    {
        var input = InputAssignment.Parse(text);

        Assert.Equal((owner, name), (input.Owner, input.Name));
        Assert.Equal(values.Split(',').Select(BigInteger.Parse), input.Values);
    }

    [Theory]
    [InlineData("alice.x", "expected owner.name=value")]
    [InlineData("x=3", "must be owner.input")]
    [InlineData(".x=3", "must be owner.input")]
    [InlineData("alice.=3", "must be owner.input")]
    [InlineData("alice.x=3.5", "'3.5' is not an integer")]
    [InlineData("alice.x=", "'' is not an integer")]
    [InlineData("alice.x=0xzz", "'0xzz' is not an integer")]
    [InlineData("alice.x=[1,,2]", "'' is not an integer")]
    public void Malformed_arguments_name_the_argument_and_the_problem(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => InputAssignment.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Ir_inputs_are_one_integer_each_and_given_once()
    {
        var values = InputAssignment.ParseAll(["alice.x=-3", "bob.y=0x10"], contract: null);

        Assert.Equal(new Dictionary<string, BigInteger> { ["alice.x"] = -3, ["bob.y"] = 16 }, values);
        Assert.Contains("arrays need the .circ language", Assert.Throws<CliException>(() => InputAssignment.ParseAll(["alice.v=[1,2]"], null)).Message);
        Assert.Contains("given more than once", Assert.Throws<CliException>(() => InputAssignment.ParseAll(["alice.x=1", "alice.x=2"], null)).Message);
        Assert.Contains("'1.5' is not an integer", Assert.Throws<FormatException>(() => InputAssignment.ParseAll(["alice.x=1.5"], null)).Message);
    }
}
