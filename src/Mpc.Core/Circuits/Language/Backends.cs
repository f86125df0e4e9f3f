using System.Numerics;
using Mpc.Core.Circuits.Typed;
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

    public BigInteger Select(BigInteger c, BigInteger a, BigInteger b) => c.IsZero ? b : a;

    public BigInteger Abs(BigInteger a, Kind kind) => BigInteger.Abs(a);

    public (BigInteger Value, BigInteger Index) Extremum(BigInteger[] values, Kind kind, bool max)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (max ? values[i] > values[best] : values[i] < values[best]) best = i;
        return (values[best], best);
    }

    public BigInteger FixedRescale(BigInteger product) => product >> FixedFractionBits;

    public BigInteger FloorByConstant(BigInteger y, int bits, BigInteger d) => y / d; // y ≥ 0: truncation is the floor

    public BigInteger DivideFloor(BigInteger a, BigInteger b, Kind kind, SourcePosition at)
    {
        if (b.IsZero) throw new CircEvaluationError(at, "division by zero (a secret divisor is 0)");
        return FloorDiv(a, b);
    }

    /// <remarks>
    /// The exact real result rounded to the nearest multiple of 2^−16 (ties up): integer arithmetic for recip, divide and
    /// sqrt; exp and sigmoid in double precision, whose error (&lt; 2^−13 ulp at the largest results) only matters at ties.
    /// </remarks>
    public BigInteger Fixed(FixedFunction function, BigInteger x, BigInteger y, SourcePosition at) => Exact(function, x, y, at);

    /// <summary>The interpreter's value of a fixed-point function of raw x (and divisor y); also used for public arguments.</summary>
    public static BigInteger Exact(FixedFunction function, BigInteger x, BigInteger y, SourcePosition at)
    {
        var one = BigInteger.One << FixedFractionBits;
        switch (function)
        {
            case FixedFunction.Recip:
                if (x.IsZero) throw new CircEvaluationError(at, "division by zero (recip of 0)");
                return RoundDiv(one * one, x);
            case FixedFunction.Divide:
                if (y.IsZero) throw new CircEvaluationError(at, "division by zero (a secret divisor is 0)");
                return RoundDiv(x * one, y);
            case FixedFunction.Sqrt:
                if (x.Sign < 0) throw new CircEvaluationError(at, $"sqrt of a negative value ({(double)x / (double)one})");
                return (IntegerSqrt(4 * x * one) + 1) >> 1; // round(√(x̃·2^16)) = ⌊(⌊2√(x̃·2^16)⌋ + 1)/2⌋
            case FixedFunction.Exp:
                if (x > ExpLimit)
                    throw new CircEvaluationError(at, $"exp overflow: exp(x) is defined for x ≤ {(double)ExpLimit / (double)one:0.####} (results below 2^22), not x = {(double)x / (double)one}");
                return new BigInteger(Math.Round(Math.ScaleB(Math.Exp(Math.ScaleB((double)x, -FixedFractionBits)), FixedFractionBits), MidpointRounding.AwayFromZero));
            default:
                return new BigInteger(Math.Round(Math.ScaleB(1 / (1 + Math.Exp(-Math.ScaleB((double)x, -FixedFractionBits))), FixedFractionBits), MidpointRounding.AwayFromZero));
        }
    }

    /// <summary>
    /// Largest raw x for which <c>exp</c> is defined: FixedMath.Exp in fixed(40, 16) computes 2^(x·log2 e) for exponents
    /// below k − f − 2 = 22 only; the limit keeps 4 ulp of the exponent's rounding below 22.
    /// </summary>
    public static readonly BigInteger ExpLimit = new BigInteger(Math.Floor(Math.ScaleB(22 * Math.Log(2), FixedFractionBits))) - 4;

    private static BigInteger IntegerSqrt(BigInteger n)
    {
        if (n < 2) return n;
        var x = BigInteger.One << (int)((n.GetBitLength() + 1) / 2); // ≥ √n
        while (true)
        {
            var y = (x + n / x) >> 1;
            if (y >= x) return x;
            x = y;
        }
    }

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

    public Wire Select(Wire c, Wire a, Wire b) => builder.Select(c, a, b);

    public Wire Abs(Wire a, Kind kind) =>
        kind == Kind.Fixed ? FixedMath.Abs(new SecretFixed(a, LanguageFixed)).Wire : new SecretInt(a, Bits(kind)).Abs().Wire;

    public (Wire Value, Wire Index) Extremum(Wire[] values, Kind kind, bool max)
    {
        var items = new SecretInt[values.Length];
        for (int i = 0; i < items.Length; i++) items[i] = new SecretInt(values[i], Bits(kind));
        var (value, index) = max ? SecretMath.ArgMax(items) : SecretMath.ArgMin(items);
        return (value.Wire, index.Wire);
    }

    public Wire FloorByConstant(Wire y, int bits, BigInteger d) => IntegerDivision.FloorByConstant(builder, y, bits, d);

    public Wire FixedRescale(Wire product) => LanguageFixed.Truncate(product, FixedBits + FixedFractionBits, FixedFractionBits);

    public Wire DivideFloor(Wire a, Wire b, Kind kind, SourcePosition at)
    {
        int bits = Bits(kind);
        if (bits > IntegerDivision.MaxSecretDivisorBits)
            throw new CircEvaluationError(at, $"{Name(kind)} division by a secret value is not supported (the secret reciprocal needs k ≤ {IntegerDivision.MaxSecretDivisorBits} bits in Fp127); use int32");
        return IntegerDivision.DivideFloor(new SecretInt(a, bits), new SecretInt(b, bits)).Wire;
    }

    public Wire Fixed(FixedFunction function, Wire x, Wire y, SourcePosition at)
    {
        var v = new SecretFixed(x, LanguageFixed);
        var result = function switch
        {
            FixedFunction.Sqrt => FixedMath.Sqrt(v),
            FixedFunction.Exp => FixedMath.Exp(v),
            FixedFunction.Sigmoid => FixedMath.Sigmoid(v),
            FixedFunction.Recip => FixedMath.Reciprocal(v),
            _ => FixedMath.Divide(v, new SecretFixed(y, LanguageFixed)),
        };
        return result.Wire;
    }

    public Wire Check(Wire value, Kind kind, SourcePosition at) => value;

    public void Output(string name, string? party, Wire value)
    {
        if (party is null) builder.Output(name, value);
        else builder.OutputTo(party, name, value);
    }
}
