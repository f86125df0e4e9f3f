using System.Collections.Immutable;

namespace Mpc.Core.Circuits.Bristol;

/// <summary>
/// Builds a <see cref="BristolCircuit"/> gate by gate with free wire numbering; <see cref="Build"/>
/// renumbers so that inputs come first and outputs last, as the format requires.
/// </summary>
/// <remarks>
/// Wires are handles (ints) valid only for this builder. Build places the wires of <see cref="Output"/>
/// on the last wire numbers; an output that is an input wire, or a wire output twice, gets an EQW copy.
/// Other wires are numbered in the order their gates were added.
/// </remarks>
public sealed class BristolBuilder
{
    private readonly List<int> _inputSizes = [];
    private readonly List<int[]> _outputs = [];
    private readonly List<(BristolGateKind Kind, int A, int B, int C)> _gates = [];
    private int _wires;
    private int? _zero, _one;

    /// <summary>Declares the next input value of <paramref name="bits"/> bits; returns its wires, bit 0 first.</summary>
    public int[] Input(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        if (_gates.Count > 0) throw new InvalidOperationException("Declare every input before the first gate: inputs are the first wires.");
        _inputSizes.Add(bits);
        var wires = new int[bits];
        for (int i = 0; i < bits; i++) wires[i] = _wires++;
        return wires;
    }

    /// <summary>a ⊕ b.</summary>
    public int Xor(int a, int b) => Gate(BristolGateKind.Xor, a, b);

    /// <summary>a ∧ b.</summary>
    public int And(int a, int b) => Gate(BristolGateKind.And, a, b);

    /// <summary>¬a.</summary>
    public int Inv(int a) => Gate(BristolGateKind.Inv, a, -1);

    /// <summary>The constant 0 (one EQ gate, shared).</summary>
    public int Zero => _zero ??= Gate(BristolGateKind.Eq, 0, -1);

    /// <summary>The constant 1 (one EQ gate, shared).</summary>
    public int One => _one ??= Gate(BristolGateKind.Eq, 1, -1);

    /// <summary>Bitwise ⊕ of two equally long words.</summary>
    public int[] Xor(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Words differ in length ({a.Length} vs {b.Length}).", nameof(b));
        var r = new int[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Xor(a[i], b[i]);
        return r;
    }

    /// <summary>Declares the next output value: its bits, bit 0 first.</summary>
    public void Output(ReadOnlySpan<int> bits)
    {
        if (bits.IsEmpty) throw new ArgumentException("An output needs at least one bit.", nameof(bits));
        foreach (int w in bits) Check(w);
        _outputs.Add(bits.ToArray());
    }

    /// <summary>Renumbers and validates.</summary>
    /// <exception cref="InvalidOperationException">No outputs were declared.</exception>
    public BristolCircuit Build()
    {
        if (_outputs.Count == 0) throw new InvalidOperationException("Declare at least one output.");
        int inputWires = _inputSizes.Sum(), outputWires = _outputs.Sum(o => o.Length);
        var gates = new List<(BristolGateKind Kind, int A, int B, int C)>(_gates);
        int next = _wires;
        // Output position k is the handle that will be numbered (wires − outputs + k).
        var outputHandles = new int[outputWires];
        var claimed = new HashSet<int>();
        int position = 0;
        foreach (var output in _outputs)
            foreach (int w in output)
            {
                if (w < inputWires || !claimed.Add(w))
                {
                    gates.Add((BristolGateKind.Eqw, w, -1, next));
                    outputHandles[position++] = next++;
                }
                else outputHandles[position++] = w;
            }
        int wireCount = next;
        var number = new int[wireCount];
        Array.Fill(number, -1);
        for (int i = 0; i < inputWires; i++) number[i] = i;
        for (int k = 0; k < outputWires; k++) number[outputHandles[k]] = wireCount - outputWires + k;
        int internalWire = inputWires;
        foreach (var g in gates)
            if (number[g.C] < 0) number[g.C] = internalWire++;

        var result = new List<BristolGate>(gates.Count);
        foreach (var (kind, a, b, c) in gates)
        {
            ImmutableArray<int> inputs = kind switch
            {
                BristolGateKind.Eq => [a],
                BristolGateKind.Inv or BristolGateKind.Eqw => [number[a]],
                _ => [number[a], number[b]],
            };
            result.Add(new BristolGate(kind, inputs, [number[c]]));
        }
        return new BristolCircuit(wireCount, _inputSizes, _outputs.Select(o => o.Length), result);
    }

    private int Gate(BristolGateKind kind, int a, int b)
    {
        if (kind != BristolGateKind.Eq) Check(a);
        if (b >= 0 || kind is BristolGateKind.Xor or BristolGateKind.And) Check(b);
        _gates.Add((kind, a, b, _wires));
        return _wires++;
    }

    private void Check(int wire)
    {
        if ((uint)wire >= (uint)_wires) throw new ArgumentOutOfRangeException(nameof(wire), wire, $"Not a wire of this builder (it has {_wires}).");
    }
}
