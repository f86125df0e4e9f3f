using System.Numerics;

namespace Mpc.Core.Circuits.Language;

/// <summary>
/// A parsed and type-checked <c>.circ</c> program (docs/language.md). Compile it to the IR with
/// <see cref="Compile"/>, or run it on clear inputs with <see cref="Interpret"/> — the reference
/// semantics every MPC run must reproduce.
/// </summary>
/// <example>
/// <code>
/// var program = CircProgram.Parse(File.ReadAllText(path), path);
/// CircCompilation c = program.Compile();      // c.Circuit is optimised and ready to run
/// </code>
/// </example>
public sealed class CircProgram
{
    private readonly ProgramSyntax _syntax;

    private CircProgram(ProgramSyntax syntax, string name)
    {
        _syntax = syntax;
        Name = name;
    }

    /// <summary>The circuit name: the file name without folder and extension, made an identifier.</summary>
    public string Name { get; }

    /// <summary>Parses and checks <paramref name="source"/>; <paramref name="fileName"/> is used in messages and for <see cref="Name"/>.</summary>
    /// <exception cref="CircCompileException">Syntax or type errors; all that were found, each with file:line:col and the source line.</exception>
    public static CircProgram Parse(string source, string fileName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new DiagnosticBag(fileName);
        var syntax = Parser.Parse(source, fileName, diagnostics);
        if (!diagnostics.HasErrors) TypeChecker.Check(syntax, diagnostics);
        if (diagnostics.HasErrors) throw new CircCompileException(diagnostics.Items, source);
        return new CircProgram(syntax, CircuitName(fileName));
    }

    /// <summary>Unrolls the program into IR gates, then optimises (folding, CSE, dead-code removal).</summary>
    /// <exception cref="CircCompileException">An error found while unrolling (index out of range, public overflow, division by zero…).</exception>
    public CircCompilation Compile()
    {
        var builder = new CircuitBuilder(Name);
        var contract = Unroll(new CircuitBackend(builder));
        var raw = builder.Build();
        return new CircCompilation(CircuitOptimizer.Optimize(raw), raw, contract);
    }

    /// <summary>Runs the program on clear inputs: the language's reference semantics.</summary>
    /// <param name="inputs">Raw values keyed by qualified IR name (<c>alice.v_0</c>); fixed values scaled by 2^16, bools 0/1.</param>
    /// <param name="fieldModulus">The prime that <c>field</c> values are reduced by (the field of the MPC run).</param>
    /// <returns>Raw outputs by IR output name, signed (field values in (−p/2, p/2)).</returns>
    /// <exception cref="CircCompileException">A run-time error: an int/fixed overflow, an index out of range…</exception>
    /// <exception cref="ArgumentException">An input is missing or unknown.</exception>
    public IReadOnlyDictionary<string, BigInteger> Interpret(IReadOnlyDictionary<string, BigInteger> inputs, BigInteger fieldModulus)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (fieldModulus < 3) throw new ArgumentOutOfRangeException(nameof(fieldModulus), "The field modulus must be a prime ≥ 3.");
        var backend = new PlaintextBackend(inputs, fieldModulus);
        var contract = Unroll(backend);
        var known = contract.Inputs.SelectMany(i => i.IrNames).ToHashSet(StringComparer.Ordinal);
        foreach (var key in inputs.Keys)
            if (!known.Contains(key))
                throw new ArgumentException($"Program '{Name}' has no input '{key}'; its inputs are {string.Join(", ", known)}.", nameof(inputs));
        return backend.Outputs;
    }

    private ContractInterface Unroll<TS>(ISecretBackend<TS> backend)
    {
        try
        {
            return new Unroller<TS>(_syntax, backend).Run();
        }
        catch (CircEvaluationError e)
        {
            throw new CircCompileException([new CircDiagnostic(_syntax.File, e.At, e.Message)], _syntax.Source);
        }
    }

    private static string CircuitName(string fileName)
    {
        int slash = Math.Max(fileName.LastIndexOf('/'), fileName.LastIndexOf('\\'));
        string stem = fileName[(slash + 1)..];
        int dot = stem.IndexOf('.');
        if (dot > 0) stem = stem[..dot];
        var chars = stem.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        string name = new(chars);
        if (name.Length == 0 || char.IsAsciiDigit(name[0])) name = "c_" + name;
        return name.Length > Circuit.MaxIdentifierLength ? name[..Circuit.MaxIdentifierLength] : name;
    }
}

/// <summary>The result of <see cref="CircProgram.Compile"/>.</summary>
/// <param name="Circuit">The optimised circuit: what runs and whose id is registered.</param>
/// <param name="Unoptimized">The circuit exactly as unrolled, before optimisation.</param>
/// <param name="Interface">How the program's typed inputs and outputs map onto IR names.</param>
public sealed record CircCompilation(Circuit Circuit, Circuit Unoptimized, ContractInterface Interface);
