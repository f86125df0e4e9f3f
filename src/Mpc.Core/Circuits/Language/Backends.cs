using System.Numerics;
using static Mpc.Core.Circuits.Language.Typing;

namespace Mpc.Core.Circuits.Language;

/// <summary>
/// The plaintext interpreter's back end: secret values are clear integers, every operation is the exact
/// integer operation it stands for, and every int/fixed result is range-checked (MPC cannot check that).
/// Field values are reduced modulo the run's prime.
/// </summary>
internal sealed class PlaintextBackend(IReadOnlyDictionary<string, BigInteger> inputs, BigInteger modulus) : ISecretBackend<BigInteger>
{
    public Dictionary<string, BigInteger> Outputs { get; } = new(StringComparer.Ordinal);

    public BigInteger Input(string name, string owner) =>
        inputs.TryGetValue(owner + "." + name, out var v) ? v : throw new ArgumentException($"input '{owner}.{name}' is missing.");

    public BigInteger Constant(BigInteger value) => value;

    public BigInteger Add(BigInteger a, BigInteger b) => a + b;

    public BigInteger Sub(BigInteger a, BigInteger b) => a - b;

    public BigInteger MulConst(BigInteger a, BigInteger c) => a * c;

    public BigInteger Mul(BigInteger a, BigInteger b) => a * b;

    public BigInteger LessThanZero(BigInteger a, int bits) => a.Sign < 0 ? 1 : 0;

    public BigInteger EqualZero(BigInteger a, int bits) => a.IsZero ? 1 : 0;

    public BigInteger Trunc(BigInteger a, int bits, int shift) => a >> shift; // arithmetic shift = floor

    public BigInteger TruncPr(BigInteger a, int bits, int shift) => a >> shift;

    public BigInteger Check(BigInteger value, Kind kind, SourcePosition at)
    {
        if (kind == Kind.Field)
        {
            var r = BigInteger.Remainder(value, modulus);
            if (r.Sign < 0) r += modulus;
            return r > modulus / 2 ? r - modulus : r;
        }
        if (Range(kind) is { } range && (value < range.Min || value > range.Max))
            throw new CircEvaluationError(at, kind == Kind.Fixed
                ? $"fixed overflow: {(double)value / (1L << FixedFractionBits)} is outside [-2^23, 2^23)"
                : $"{Name(kind)} overflow: {value} is outside [-2^{Bits(kind) - 1}, 2^{Bits(kind) - 1})");
        return value;
    }

    public void Output(string name, string? party, BigInteger value) => Outputs[name] = value;
}

/// <summary>The compiler's back end: secret values are wires of a <see cref="CircuitBuilder"/>.</summary>
internal sealed class CircuitBackend(CircuitBuilder builder) : ISecretBackend<Wire>
{
    public Wire Input(string name, string owner) => builder.Input(name, owner);

    public Wire Constant(BigInteger value) => builder.Constant(value);

    public Wire Add(Wire a, Wire b) => builder.Add(a, b);

    public Wire Sub(Wire a, Wire b) => builder.Sub(a, b);

    public Wire MulConst(Wire a, BigInteger c) => builder.MulConst(a, c);

    public Wire Mul(Wire a, Wire b) => builder.Mul(a, b);

    public Wire LessThanZero(Wire a, int bits) => builder.LessThanZero(a, bits);

    public Wire EqualZero(Wire a, int bits) => builder.EqualZero(a, bits);

    public Wire Trunc(Wire a, int bits, int shift) => builder.Trunc(a, bits, shift);

    public Wire TruncPr(Wire a, int bits, int shift) => builder.TruncPr(a, bits, shift);

    public Wire Check(Wire value, Kind kind, SourcePosition at) => value;

    public void Output(string name, string? party, Wire value)
    {
        if (party is null) builder.Output(name, value);
        else builder.OutputTo(party, name, value);
    }
}
