using System.CommandLine;
using Mpc.Core.Circuits;
using Mpc.Core.Fields;

namespace Mpc.Cli;

/// <summary>Something to run once the field type is known: C# has no generic lambdas, so commands implement this.</summary>
internal interface IFieldTask<TResult>
{
    TResult Run<T>() where T : struct, IField<T>;
}

/// <summary>The <c>--field</c> option and the dispatch from its name to a field type.</summary>
internal static class FieldOption
{
    public static readonly string[] Names = ["fp61", "fp127"];

    public static Option<string> Create()
    {
        var option = new Option<string>("--field")
        {
            Description = "The prime field: fp61 (2^61-1, fastest) or fp127 (2^127-1, room for large integers).",
            DefaultValueFactory = _ => "fp61",
        };
        option.AcceptOnlyFromAmong(Names);
        return option;
    }

    /// <summary>The field a circuit runs in when <c>--field</c> is not given: fp127 when it has integer gates (k + κ + 1 &lt; log2 p), else fp61 (fastest).</summary>
    public static string For(Circuit circuit) => circuit.Schedule.Groups.IsEmpty ? "fp61" : "fp127";

    /// <summary>The field <paramref name="option"/> names when given on the command line, else <see cref="For"/> the circuit.</summary>
    public static string Read(ParseResult parse, Option<string> option, Circuit circuit) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : For(circuit);

    public static TResult Dispatch<TResult>(string field, IFieldTask<TResult> task) => field switch
    {
        "fp61" => task.Run<Fp61>(),
        "fp127" => task.Run<Fp127>(),
        _ => throw new CliException($"--field '{field}': expected one of {string.Join(", ", Names)}."),
    };
}
