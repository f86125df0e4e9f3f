using System.Numerics;

namespace Mpc.Core.Circuits;

/// <summary>
/// Compiler passes over the IR: constant folding, common-subexpression elimination and dead-gate
/// removal. The result computes the same outputs on every input and never has more rounds.
/// </summary>
/// <remarks>
/// <para>One forward pass does folding and CSE together (each rewritten gate is looked up in a table
/// keyed by kind, operands and constant, with commutative operands sorted); a backward pass then keeps
/// only what the outputs need, plus every Input gate (inputs are the circuit's interface: removing an
/// unused one would change what clients must provide).</para>
/// <para>Rewrites: const∘const → const; x+0, x−0, x·1 → x; x·0 → 0; x−x → 0; mulc(mulc(x,a),b) →
/// mulc(x,a·b); mul(x, const c) → mulc(x, c); an integer gate (ltz, eqz, trunc, truncpr, mod2m) on a
/// constant inside its signed k-bit range → its value (<see cref="GateKinds.EvaluateInteger"/>; a constant
/// outside the range is left for the run to refuse). CSE keys include the integer gates' k and m. Each replacement has depth ≤ the gate it replaces, so
/// the multiplicative depth (rounds) can only fall.</para>
/// <para>Folding uses integer arithmetic, which is exact in every prime field because Z → F_p is a ring
/// homomorphism (this is also how constants are read: <c>T.FromBigInteger</c>). Folded constants are
/// capped at <see cref="MaxFoldedBits"/> bits so adversarial circuits (repeated squaring of a constant)
/// cannot blow up; past the cap the gate is kept as it is.</para>
/// <para>Prime fields only: in GF(2^64) 1 + 1 is 0, not 2. Boolean circuits never come here —
/// <see cref="Bristol.BristolCircuit.ToCircuit"/> folds their constants in GF(2) itself, the CLI's
/// <c>--field</c> offers prime fields only, and nodes run submitted circuits as they are — and folding
/// per field would make the optimised circuit, hence its on-chain <see cref="Circuit.Id"/>, depend on the field.</para>
/// </remarks>
public static class CircuitOptimizer
{
    /// <summary>Largest folded constant, in bits (beyond every supported field modulus).</summary>
    public const int MaxFoldedBits = 1024;

    /// <summary>Optimises <paramref name="circuit"/>; name, parties, inputs and outputs are unchanged.</summary>
    public static Circuit Optimize(Circuit circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var folded = new Folder(circuit.Gates.Length).Run(circuit);
        return new Circuit(circuit.Name, circuit.Parties, RemoveDeadGates(folded));
    }

    /// <summary>Keeps Input and Output gates and everything an output depends on, renumbering wires.</summary>
    private static List<Gate> RemoveDeadGates(List<Gate> gates)
    {
        var live = new bool[gates.Count];
        for (int i = gates.Count - 1; i >= 0; i--)
        {
            var g = gates[i];
            if (g.Kind is GateKind.Input or GateKind.Output) live[i] = true;
            if (!live[i]) continue;
            if (g.Left >= 0) live[g.Left] = true;
            if (g.Right >= 0) live[g.Right] = true;
        }
        var renumber = new int[gates.Count];
        var result = new List<Gate>(gates.Count);
        for (int i = 0; i < gates.Count; i++)
        {
            if (!live[i]) continue;
            var g = gates[i];
            renumber[i] = result.Count;
            result.Add(g with
            {
                Left = g.Left >= 0 ? renumber[g.Left] : -1,
                Right = g.Right >= 0 ? renumber[g.Right] : -1,
            });
        }
        return result;
    }

    private sealed class Folder(int capacity)
    {
        private readonly List<Gate> _gates = new(capacity);
        private readonly Dictionary<Gate, int> _seen = new(capacity);

        public List<Gate> Run(Circuit circuit)
        {
            var map = new int[circuit.Gates.Length];
            for (int i = 0; i < map.Length; i++)
            {
                var g = circuit.Gates[i];
                int a = g.Left >= 0 ? map[g.Left] : -1;
                int b = g.Right >= 0 ? map[g.Right] : -1;
                map[i] = g.Kind switch
                {
                    GateKind.Input => Append(g),
                    GateKind.Output => Append(g with { Left = a }),
                    GateKind.Constant => Const(g.Constant),
                    GateKind.Add => Add(a, b),
                    GateKind.Sub => Sub(a, b),
                    GateKind.MulConst => MulConst(a, g.Constant),
                    GateKind.Mul => Mul(a, b),
                    GateKind.LessThanZero or GateKind.EqualZero or GateKind.Trunc or GateKind.TruncPr or GateKind.Mod2m =>
                        Integer(g with { Left = a }),
                    _ => throw new NotSupportedException($"gate %{i}: the optimiser has no rule for {g.Kind}."),
                };
            }
            return _gates;
        }

        private int Add(int a, int b)
        {
            bool ka = IsConst(a, out var ca), kb = IsConst(b, out var cb);
            if (ka && kb && Fits(ca + cb)) return Const(ca + cb);
            if (ka && ca.IsZero) return b;
            if (kb && cb.IsZero) return a;
            return Emit(Gate.Add(Math.Min(a, b), Math.Max(a, b)));
        }

        private int Sub(int a, int b)
        {
            bool ka = IsConst(a, out var ca), kb = IsConst(b, out var cb);
            if (ka && kb && Fits(ca - cb)) return Const(ca - cb);
            if (kb && cb.IsZero) return a;
            if (a == b) return Const(BigInteger.Zero);
            return Emit(Gate.Sub(a, b));
        }

        private int MulConst(int a, BigInteger k)
        {
            if (k.IsZero) return Const(BigInteger.Zero);
            if (k.IsOne) return a;
            if (IsConst(a, out var ca) && Fits(ca * k)) return Const(ca * k);
            var source = _gates[a];
            if (source.Kind == GateKind.MulConst && Fits(source.Constant * k))
                return MulConst(source.Left, source.Constant * k);
            return Emit(Gate.MulConst(a, k));
        }

        private int Mul(int a, int b)
        {
            if (IsConst(a, out var ca)) return MulConst(b, ca);
            if (IsConst(b, out var cb)) return MulConst(a, cb);
            return Emit(Gate.Mul(Math.Min(a, b), Math.Max(a, b)));
        }

        /// <summary>
        /// Folds an integer gate on a constant. A constant c inside the signed k-bit range is the field
        /// element whose signed reading is c in every field the gate can run in (p &gt; 2^(k+κ+1)).
        /// </summary>
        private int Integer(Gate gate)
        {
            if (IsConst(gate.Left, out var c) && GateKinds.FitsSigned(c, gate.Bits))
                return Const(gate.Kind.EvaluateInteger(c, gate.Bits, gate.Shift));
            return Emit(gate);
        }

        private int Const(BigInteger value) => Emit(Gate.Const(value));

        private bool IsConst(int wire, out BigInteger value)
        {
            var g = _gates[wire];
            value = g.Constant;
            return g.Kind == GateKind.Constant;
        }

        private static bool Fits(BigInteger value) => value.GetBitLength() <= MaxFoldedBits;

        /// <summary>Appends a value gate unless an identical one exists (CSE).</summary>
        private int Emit(Gate gate)
        {
            if (_seen.TryGetValue(gate, out int existing)) return existing;
            int index = Append(gate);
            _seen.Add(gate, index);
            return index;
        }

        private int Append(Gate gate)
        {
            _gates.Add(gate);
            return _gates.Count - 1;
        }
    }
}
