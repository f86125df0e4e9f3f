using System.Collections.Immutable;

namespace Mpc.Core.Circuits.Bristol;

/// <summary>The operation of a <see cref="BristolGate"/>, as spelled in a Bristol Fashion file.</summary>
public enum BristolGateKind
{
    /// <summary><c>2 1 a b c XOR</c>: c = a ⊕ b.</summary>
    Xor,

    /// <summary><c>2 1 a b c AND</c>: c = a ∧ b.</summary>
    And,

    /// <summary><c>1 1 a c INV</c>: c = ¬a.</summary>
    Inv,

    /// <summary><c>1 1 a c EQW</c>: c = a (a wire copy).</summary>
    Eqw,

    /// <summary><c>1 1 v c EQ</c>: c = v for the constant v ∈ {0, 1} (the "input" is the constant, not a wire).</summary>
    Eq,

    /// <summary><c>2k k a1..ak b1..bk c1..ck MAND</c>: c_i = a_i ∧ b_i, k ANDs in one gate.</summary>
    Mand,
}

/// <summary>One gate of a <see cref="BristolCircuit"/>.</summary>
/// <param name="Kind">The operation.</param>
/// <param name="Inputs">Input wires in file order (for <see cref="BristolGateKind.Eq"/>: the one constant 0 or 1).</param>
/// <param name="Outputs">Output wires in file order.</param>
public readonly record struct BristolGate(BristolGateKind Kind, ImmutableArray<int> Inputs, ImmutableArray<int> Outputs)
{
    /// <summary>AND gates this gate counts for (1 for AND, k for MAND, else 0).</summary>
    public int AndCount => Kind switch { BristolGateKind.And => 1, BristolGateKind.Mand => Outputs.Length, _ => 0 };
}

/// <summary>
/// A boolean circuit in Bristol Fashion (the format of the public AES-128, SHA-256… circuits:
/// https://nigelsmart.github.io/MPC-Circuits/), validated on construction.
/// </summary>
/// <remarks>
/// <para>Wires 0..ΣinputSizes−1 are the inputs, value after value; the last ΣoutputSizes wires are the
/// outputs, value after value. Within a value, the first wire is the value's bit 0 in the public
/// circuits' convention (see <see cref="BristolBits"/> for the two orders the CLI offers).</para>
/// <para>Validity: every wire index is below <see cref="WireCount"/>; a gate reads only wires already
/// assigned (inputs or earlier gates' outputs) and writes only wires not yet assigned (each wire once);
/// input and output ranges do not overlap; every output wire is assigned by some gate.</para>
/// </remarks>
public sealed class BristolCircuit
{
    /// <summary>Largest accepted wire count (2^27): far above the public circuits (SHA-512 has about 350,000) and small enough to allocate.</summary>
    public const int MaxWires = 1 << 27;

    /// <summary>Creates and validates a circuit.</summary>
    /// <exception cref="BristolFormatException">A rule in the remarks is broken; <see cref="BristolFormatException.Line"/> is then the gate's index + 1.</exception>
    public BristolCircuit(int wireCount, IEnumerable<int> inputSizes, IEnumerable<int> outputSizes, IEnumerable<BristolGate> gates)
    {
        ArgumentNullException.ThrowIfNull(inputSizes);
        ArgumentNullException.ThrowIfNull(outputSizes);
        ArgumentNullException.ThrowIfNull(gates);
        InputSizes = [.. inputSizes];
        OutputSizes = [.. outputSizes];
        Gates = [.. gates];
        var wires = new WireTracker(wireCount, InputSizes, OutputSizes, out string? headerError);
        if (headerError is not null) throw new BristolFormatException(null, 0, headerError);
        for (int i = 0; i < Gates.Length; i++)
            if (wires.Assign(Gates[i]) is string error) throw new BristolFormatException(null, i + 1, $"gate {i}: {error}");
        if (wires.FirstUnassignedOutput() is int missing)
            throw new BristolFormatException(null, Gates.Length, $"output wire {missing} is never assigned");
        WireCount = wireCount;
        InputWireCount = InputSizes.Sum();
        OutputWireCount = OutputSizes.Sum();
        AndCount = Gates.Sum(g => g.AndCount);
    }

    /// <summary>Total wires (the header's second number).</summary>
    public int WireCount { get; }

    /// <summary>Bits of each input value, in order.</summary>
    public ImmutableArray<int> InputSizes { get; }

    /// <summary>Bits of each output value, in order.</summary>
    public ImmutableArray<int> OutputSizes { get; }

    /// <summary>The gates in file (topological) order.</summary>
    public ImmutableArray<BristolGate> Gates { get; }

    /// <summary>Σ <see cref="InputSizes"/>.</summary>
    public int InputWireCount { get; }

    /// <summary>Σ <see cref="OutputSizes"/>.</summary>
    public int OutputWireCount { get; }

    /// <summary>AND gates (a MAND of k counts k): the Beaver multiplications one evaluation costs.</summary>
    public int AndCount { get; }

    /// <summary>First wire of input value <paramref name="input"/>.</summary>
    public int InputWire(int input) => Offset(InputSizes, input);

    /// <summary>First wire of output value <paramref name="output"/> (the outputs are the last wires).</summary>
    public int OutputWire(int output) => WireCount - OutputWireCount + Offset(OutputSizes, output);

    private static int Offset(ImmutableArray<int> sizes, int index)
    {
        if ((uint)index >= (uint)sizes.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"There are {sizes.Length} values.");
        int offset = 0;
        for (int i = 0; i < index; i++) offset += sizes[i];
        return offset;
    }

    /// <summary>Evaluates the circuit in the clear: the reference answer for tests.</summary>
    /// <param name="inputs">One bit array per input value, bit j feeding the value's j-th wire.</param>
    /// <returns>One bit array per output value, bit j read from the value's j-th wire.</returns>
    /// <exception cref="ArgumentException">Wrong number of inputs or of bits in one.</exception>
    public bool[][] Evaluate(IReadOnlyList<bool[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckInputs(inputs.Count, i => inputs[i].Length);
        var w = new bool[WireCount];
        for (int i = 0, wire = 0; i < inputs.Count; wire += InputSizes[i], i++) inputs[i].CopyTo(w, wire);
        foreach (var g in Gates)
        {
            switch (g.Kind)
            {
                case BristolGateKind.Xor: w[g.Outputs[0]] = w[g.Inputs[0]] ^ w[g.Inputs[1]]; break;
                case BristolGateKind.And: w[g.Outputs[0]] = w[g.Inputs[0]] & w[g.Inputs[1]]; break;
                case BristolGateKind.Inv: w[g.Outputs[0]] = !w[g.Inputs[0]]; break;
                case BristolGateKind.Eqw: w[g.Outputs[0]] = w[g.Inputs[0]]; break;
                case BristolGateKind.Eq: w[g.Outputs[0]] = g.Inputs[0] == 1; break;
                case BristolGateKind.Mand:
                    int k = g.Outputs.Length;
                    for (int j = 0; j < k; j++) w[g.Outputs[j]] = w[g.Inputs[j]] & w[g.Inputs[k + j]];
                    break;
            }
        }
        var outputs = new bool[OutputSizes.Length][];
        for (int o = 0, wire = WireCount - OutputWireCount; o < outputs.Length; wire += OutputSizes[o], o++)
            outputs[o] = w.AsSpan(wire, OutputSizes[o]).ToArray();
        return outputs;
    }

    /// <summary>Checks a supplied input count and each input's bit count against the header.</summary>
    /// <exception cref="ArgumentException">The message says which input and the expected size.</exception>
    public void CheckInputs(int count, Func<int, int> bitsOf)
    {
        ArgumentNullException.ThrowIfNull(bitsOf);
        if (count != InputSizes.Length)
            throw new ArgumentException($"The circuit has {InputSizes.Length} input value(s) ({string.Join(", ", InputSizes.Select(s => s + " bits"))}); {count} given.");
        for (int i = 0; i < count; i++)
            if (bitsOf(i) != InputSizes[i])
                throw new ArgumentException($"Input {i} has {bitsOf(i)} bits; the circuit declares {InputSizes[i]}.");
    }

    /// <summary>Name of the IR input for bit <paramref name="bit"/> of input value <paramref name="input"/> in copy <paramref name="copy"/> (see <see cref="ToCircuit"/>).</summary>
    public static string InputKey(int copy, int input, int bit) => $"{InputOwner(input)}.c{copy}_b{bit}";

    /// <summary>Name of the IR output for bit <paramref name="bit"/> of output value <paramref name="output"/> in copy <paramref name="copy"/>.</summary>
    public static string OutputName(int copy, int output, int bit) => $"c{copy}_out{output}_b{bit}";

    /// <summary>The IR party that owns input value <paramref name="input"/>: <c>in0</c>, <c>in1</c>…</summary>
    public static string InputOwner(int input) => "in" + input.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Converts to the arithmetic IR over a binary field (one bit per <c>Gf2k64</c> element):
    /// XOR → Add, AND → Mul (one Beaver multiplication), INV → Add of the constant 1, EQW → the same wire,
    /// EQ → the constant. Copies with their own inputs run side by side on this one-copy IR
    /// (<see cref="Engine.BatchedPartyEngine{T}"/>), not on a larger one.
    /// </summary>
    /// <remarks>
    /// <para>Inputs are IR inputs <see cref="InputKey"/>(0, i, j) owned by party <c>in{i}</c>, in value, bit
    /// order; outputs are public, named <see cref="OutputName"/>(0, o, j). Only valid in characteristic 2:
    /// XOR is addition only there.</para>
    /// <para>Constants (EQ gates, and gates whose inputs are all constant) are folded here in the boolean
    /// domain — c ⊕ x is x or ¬x, 0 ∧ x = 0, 1 ∧ x = x — so no AND with a constant costs a
    /// multiplication. The IR optimiser must not be run on the result: it folds constants as integers
    /// (1 + 1 = 2), which is right only in prime fields.</para>
    /// </remarks>
    /// <param name="name">The IR circuit's name.</param>
    public Circuit ToCircuit(string name)
    {
        var builder = new CircuitBuilder(name);
        Wire? one = null;
        Wire One() => one ??= builder.Constant(1);
        // Per Bristol wire: an IR wire index ≥ 0, or ConstZero / ConstOne.
        const int ConstZero = -1, ConstOne = -2;
        var map = new int[WireCount];
        var wires = new List<Wire>();
        int Ir(Wire w) { wires.Add(w); return wires.Count - 1; }
        int Xor(int a, int b) => (a, b) switch
        {
            (< 0, < 0) => a == b ? ConstZero : ConstOne,
            (ConstZero, _) => b,
            (_, ConstZero) => a,
            (ConstOne, _) => Ir(builder.Add(wires[b], One())),
            (_, ConstOne) => Ir(builder.Add(wires[a], One())),
            _ => Ir(builder.Add(wires[a], wires[b])),
        };
        int And(int a, int b) => (a, b) switch
        {
            (ConstZero, _) or (_, ConstZero) => ConstZero,
            (ConstOne, _) => b,
            (_, ConstOne) => a,
            _ => Ir(builder.Mul(wires[a], wires[b])),
        };

        const int copy = 0; // the IR names keep the copy index; k copies share this IR (BatchedPartyEngine)
        for (int i = 0, wire = 0; i < InputSizes.Length; i++)
            for (int bit = 0; bit < InputSizes[i]; bit++, wire++)
                map[wire] = Ir(builder.Input($"c{copy}_b{bit}", InputOwner(i)));
        foreach (var g in Gates)
        {
            var o = g.Outputs;
            switch (g.Kind)
            {
                case BristolGateKind.Xor: map[o[0]] = Xor(map[g.Inputs[0]], map[g.Inputs[1]]); break;
                case BristolGateKind.And: map[o[0]] = And(map[g.Inputs[0]], map[g.Inputs[1]]); break;
                case BristolGateKind.Inv: map[o[0]] = Xor(map[g.Inputs[0]], ConstOne); break;
                case BristolGateKind.Eqw: map[o[0]] = map[g.Inputs[0]]; break;
                case BristolGateKind.Eq: map[o[0]] = g.Inputs[0] == 1 ? ConstOne : ConstZero; break;
                case BristolGateKind.Mand:
                    for (int j = 0; j < o.Length; j++) map[o[j]] = And(map[g.Inputs[j]], map[g.Inputs[o.Length + j]]);
                    break;
            }
        }
        for (int v = 0, wire = WireCount - OutputWireCount; v < OutputSizes.Length; v++)
            for (int bit = 0; bit < OutputSizes[v]; bit++, wire++)
            {
                int m = map[wire];
                builder.Output(OutputName(copy, v, bit), m >= 0 ? wires[m] : builder.Constant(m == ConstOne ? 1 : 0));
            }
        return builder.Build();
    }

    /// <summary>Tracks which wires are assigned while gates are added, and reports the first broken rule.</summary>
    internal sealed class WireTracker
    {
        private readonly bool[] _assigned;
        private readonly int _firstOutput;

        public WireTracker(int wireCount, ImmutableArray<int> inputSizes, ImmutableArray<int> outputSizes, out string? error)
        {
            _assigned = [];
            error = null;
            long inputs = 0, outputs = 0;
            foreach (int s in inputSizes) inputs += s;
            foreach (int s in outputSizes) outputs += s;
            if (wireCount < 1 || wireCount > MaxWires) error = $"wire count {wireCount} is outside 1..{MaxWires}";
            else if (inputSizes.Any(s => s < 1)) error = "every input value needs at least one bit";
            else if (outputSizes.IsEmpty) error = "the circuit declares no outputs";
            else if (outputSizes.Any(s => s < 1)) error = "every output value needs at least one bit";
            else if (inputs + outputs > wireCount)
                error = $"{inputs} input wires and {outputs} output wires do not fit in {wireCount} wires without overlapping";
            if (error is not null) return;
            _assigned = new bool[wireCount];
            _assigned.AsSpan(0, (int)inputs).Fill(true);
            _firstOutput = wireCount - (int)outputs;
        }

        /// <summary>Checks one gate and marks its outputs assigned; returns the reason it is invalid, or null.</summary>
        public string? Assign(BristolGate g)
        {
            int nIn = g.Inputs.Length, nOut = g.Outputs.Length;
            string? shape = g.Kind switch
            {
                BristolGateKind.Xor or BristolGateKind.And when (nIn, nOut) != (2, 1) => "takes 2 inputs and 1 output",
                BristolGateKind.Inv or BristolGateKind.Eqw or BristolGateKind.Eq when (nIn, nOut) != (1, 1) => "takes 1 input and 1 output",
                BristolGateKind.Mand when nOut < 1 || nIn != 2 * nOut => "takes 2k inputs and k ≥ 1 outputs",
                _ => null,
            };
            if (shape is not null) return $"{Spelling(g.Kind)} {shape}, not {nIn} and {nOut}";
            if (g.Kind == BristolGateKind.Eq)
            {
                if (g.Inputs[0] is not (0 or 1)) return $"EQ assigns a constant 0 or 1, not {g.Inputs[0]}";
            }
            else
            {
                foreach (int w in g.Inputs)
                {
                    if ((uint)w >= (uint)_assigned.Length) return $"input wire {w} is outside 0..{_assigned.Length - 1}";
                    if (!_assigned[w]) return $"input wire {w} is read before any gate assigns it";
                }
            }
            foreach (int w in g.Outputs)
            {
                if ((uint)w >= (uint)_assigned.Length) return $"output wire {w} is outside 0..{_assigned.Length - 1}";
                if (_assigned[w]) return $"output wire {w} is already assigned (by an input or an earlier gate)";
                _assigned[w] = true;
            }
            return null;
        }

        /// <summary>The first output wire no gate assigned, or null.</summary>
        public int? FirstUnassignedOutput()
        {
            int i = Array.IndexOf(_assigned, false, _firstOutput);
            return i >= 0 ? i : null;
        }
    }

    /// <summary>The mnemonic of a kind as written in files.</summary>
    public static string Spelling(BristolGateKind kind) => kind switch
    {
        BristolGateKind.Xor => "XOR",
        BristolGateKind.And => "AND",
        BristolGateKind.Inv => "INV",
        BristolGateKind.Eqw => "EQW",
        BristolGateKind.Eq => "EQ",
        BristolGateKind.Mand => "MAND",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown Bristol gate kind."),
    };
}
