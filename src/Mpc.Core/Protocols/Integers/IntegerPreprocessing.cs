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
