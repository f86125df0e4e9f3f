using Mpc.Core.Fields;

namespace Mpc.Core.Protocols.Integers;

/// <summary>The integer protocols of <see cref="IntegerProtocols{T}"/>, for sizing their preprocessing and counting rounds.</summary>
public enum IntegerOperation
{
    /// <summary>a mod 2^m (Catrina–de Hoogh 2010, Protocol Mod2m).</summary>
    Mod2m,

    /// <summary>Exact ⌊a / 2^m⌋ (Trunc).</summary>
    Trunc,

    /// <summary>Probabilistic ⌊a / 2^m⌋ + u, Pr[u = 1] = (a mod 2^m)/2^m (TruncPr).</summary>
    TruncPr,

    /// <summary>[a &lt; 0] (LTZ).</summary>
    LessThanZero,

    /// <summary>[x &lt; y] for k-bit x, y: LTZ on k + 1 bits.</summary>
    LessThan,

    /// <summary>[x ≤ y] for k-bit x, y: 1 − [y &lt; x].</summary>
    LessOrEqual,

    /// <summary>[a = 0] (EQZ).</summary>
    EqualZero,

    /// <summary>[x = y] for k-bit x, y: EQZ on k + 1 bits.</summary>
    Equal,
}

/// <summary>One batched call to prepare for with <see cref="IntegerProtocols{T}.PrepareManyAsync"/>.</summary>
/// <param name="Operation">The protocol.</param>
/// <param name="Count">How many values the call processes.</param>
/// <param name="Bits">k.</param>
/// <param name="Shift">m for Mod2m, Trunc and TruncPr; 0 otherwise.</param>
public readonly record struct IntegerRequest(IntegerOperation Operation, int Count, int Bits, int Shift = 0);

/// <summary>
/// What one value of an integer protocol costs, independent of the field: the PRandM mask's shape, the
/// Beaver triples of its bit circuit and its online rounds (with one-round openings).
/// </summary>
/// <remarks>
/// Catrina–de Hoogh 2010 with the logarithmic carry circuit (see <see cref="IntegerProtocols{T}"/>), whose first
/// layer is made local by preprocessed products r_{2j}·r_{2j+1} of adjacent mask bits (<see cref="PairProducts"/>):
/// Mod2m and Trunc on m ≥ 2 bits take 1 + ⌈log2 ⌈m/2⌉⌉ rounds and Σ(2·⌊L/2⌋ − 1) online triples over the tree's
/// layers above the first; LTZ is Trunc with m = k − 1; LessThan/LessOrEqual are LTZ on k + 1 bits; EQZ takes
/// 1 + ⌈log2 ⌈k/2⌉⌉ rounds and ⌈k/2⌉ − 1 online triples; TruncPr one round and no triples.
/// </remarks>
/// <param name="MaskBits">k of the mask: the bit length of the value actually opened (k + 1 for LessThan, LessOrEqual, Equal).</param>
/// <param name="MaskShift">m of the mask: how many of its low bits are shared bit by bit.</param>
/// <param name="Shift">The operation's m (0 for comparisons).</param>
/// <param name="Triples">Beaver triples per value consumed online.</param>
/// <param name="Rounds">Online rounds of one batched call.</param>
/// <param name="PairProducts">Products of adjacent shared mask bits per value, computed in preprocessing (one triple each).</param>
public readonly record struct IntegerCost(int MaskBits, int MaskShift, int Shift, int Triples, int Rounds, int PairProducts = 0)
{
    /// <summary>All triples one value consumes: online plus the pair products' in preprocessing.</summary>
    public int TotalTriples => Triples + PairProducts;

    /// <summary>Random bits per value: the mask's k + κ bits (Catrina–de Hoogh 2010, PRandM).</summary>
    /// <param name="security">κ.</param>
    public int RandomBits(int security) => MaskBits + security;

    /// <summary>The cost of <paramref name="operation"/> on <paramref name="bits"/>-bit values.</summary>
    /// <remarks>Checks k and m only; the field bound k + κ + 1 &lt; log2 p is <see cref="SignedEncoding.Validate{T}"/>'s.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">k or m out of range (k ≥ 2 for LTZ, 1 ≤ m &lt; k for Mod2m, Trunc, TruncPr).</exception>
    public static IntegerCost For(IntegerOperation operation, int bits, int shift = 0)
    {
        string what = $"{operation} on {bits}-bit values";
        if (bits < 1 || bits > 128)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"{what}: k must be in [1, 128].");
        switch (operation)
        {
            case IntegerOperation.Mod2m or IntegerOperation.Trunc or IntegerOperation.TruncPr:
                if (shift < 1 || shift >= bits)
                    throw new ArgumentOutOfRangeException(nameof(shift), shift, $"{what} needs a shift m with 1 ≤ m < k = {bits}.");
                return operation == IntegerOperation.TruncPr
                    ? new IntegerCost(bits, shift, shift, 0, 1)
                    : Carry(bits, shift, shift);
            case IntegerOperation.LessThanZero:
                if (bits < 2) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"{what}: LTZ needs k ≥ 2.");
                return Carry(bits, bits - 1, 0);
            case IntegerOperation.LessThan or IntegerOperation.LessOrEqual:
                // x − y of k-bit operands needs k + 1 bits.
                return Carry(bits + 1, bits, 0);
            case IntegerOperation.EqualZero:
                return Conjunction(bits);
            case IntegerOperation.Equal:
                return Conjunction(bits + 1);
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown integer operation.");
        }
    }

    /// <summary>BitLT over the m low mask bits: the first tree layer is local, the rest online.</summary>
    private static IntegerCost Carry(int maskBits, int m, int shift)
    {
        int pairs = m / 2, blocks = m - pairs;
        int online = m < 2 ? 0 : CarryTriples(m) - (2 * pairs - 1);
        return new IntegerCost(maskBits, m, shift, online, 1 + Layers(blocks), pairs);
    }

    /// <summary>EQZ's AND of k agreement bits: the first layer is local, ⌈k/2⌉ − 1 products online.</summary>
    private static IntegerCost Conjunction(int bits)
    {
        int pairs = bits / 2, blocks = bits - pairs;
        return new IntegerCost(bits, bits, 0, blocks - 1, 1 + Layers(blocks), pairs);
    }

    /// <summary>⌈log2 m⌉: the layers of a balanced binary tree over m leaves.</summary>
    private static int Layers(int leaves)
    {
        int layers = 0;
        for (int l = leaves; l > 1; l = l / 2 + (l & 1)) layers++;
        return layers;
    }

    /// <summary>Σ over layers of 2·⌊L/2⌋ − 1: the carry tree's multiplications.</summary>
    private static int CarryTriples(int leaves)
    {
        int triples = 0;
        for (int l = leaves; l > 1; l = l / 2 + (l & 1)) triples += 2 * (l / 2) - 1;
        return triples;
    }
}

/// <summary>
/// This party's preprocessed material for one batched call of an <see cref="IntegerProtocols{T}"/> protocol:
/// the PRandM masks and the Beaver triples its bit circuit consumes. Use once.
/// </summary>
/// <typeparam name="T">The field.</typeparam>
public sealed class IntegerPreprocessing<T> where T : struct, IField<T>
{
    internal IntegerPreprocessing(IntegerOperation operation, int bits, int shift, SolvedMasks<T> masks, TripleBatch<T> triples)
    {
        Operation = operation;
        Bits = bits;
        Shift = shift;
        Masks = masks;
        Triples = triples;
    }

    /// <summary>The protocol this material is for.</summary>
    public IntegerOperation Operation { get; }

    /// <summary>k, the bit length of the caller's values.</summary>
    public int Bits { get; }

    /// <summary>m for <see cref="IntegerOperation.Mod2m"/>, <see cref="IntegerOperation.Trunc"/> and <see cref="IntegerOperation.TruncPr"/>; 0 otherwise.</summary>
    public int Shift { get; }

    /// <summary>The number of values the material covers.</summary>
    public int Count => Masks.Count;

    /// <summary>The masks (one per value).</summary>
    public SolvedMasks<T> Masks { get; }

    /// <summary>The triples (<see cref="IntegerProtocols{T}.TriplesPerValue"/> per value).</summary>
    public TripleBatch<T> Triples { get; }
}
