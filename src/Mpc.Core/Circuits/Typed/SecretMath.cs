using System.Numerics;

namespace Mpc.Core.Circuits.Typed;

/// <summary>Order statistics and bit decomposition on <see cref="SecretInt"/> (and, where it makes sense, <see cref="SecretFixed"/>).</summary>
/// <remarks>
/// Min, max and argmax are balanced tournament trees: ⌈log2 n⌉ levels, each one batched layer of comparisons and one of
/// selections, n − 1 comparisons in all. <see cref="Ranks"/> and <see cref="Median"/> use the constant-round counting
/// method instead: all n(n − 1)/2 pairwise comparisons in one layer.
/// </remarks>
public static class SecretMath
{
    /// <summary>The smallest value (balanced tree, ⌈log2 n⌉ comparison layers).</summary>
    public static SecretInt Min(IReadOnlyList<SecretInt> values) => Tree(values, keepRight: (l, r) => r < l).Value;

    /// <summary>The largest value (balanced tree, ⌈log2 n⌉ comparison layers).</summary>
    public static SecretInt Max(IReadOnlyList<SecretInt> values) => Tree(values, keepRight: (l, r) => r > l).Value;

    /// <summary>The smaller of two values (one comparison, one multiplication).</summary>
    public static SecretInt Min(SecretInt a, SecretInt b) => Min([a, b]);

    /// <summary>The larger of two values (one comparison, one multiplication).</summary>
    public static SecretInt Max(SecretInt a, SecretInt b) => Max([a, b]);

    /// <summary>The largest value and its index (0-based; the first index among equal maxima), by a balanced tree.</summary>
    /// <remarks>The index travels with the value through the same selections: two multiplications per comparison.</remarks>
    public static (SecretInt Value, SecretInt Index) ArgMax(IReadOnlyList<SecretInt> values) => Tree(values, keepRight: (l, r) => r > l);

    /// <summary>The smallest value and its index (0-based; the first index among equal minima), by a balanced tree.</summary>
    public static (SecretInt Value, SecretInt Index) ArgMin(IReadOnlyList<SecretInt> values) => Tree(values, keepRight: (l, r) => r < l);

    /// <summary>The smallest fixed-point value (balanced tree).</summary>
    public static SecretFixed Min(IReadOnlyList<SecretFixed> values) => AsFixed(Min(Representations(values)), values);

    /// <summary>The largest fixed-point value (balanced tree).</summary>
    public static SecretFixed Max(IReadOnlyList<SecretFixed> values) => AsFixed(Max(Representations(values)), values);

    /// <summary>The largest fixed-point value and its index (balanced tree).</summary>
    public static (SecretFixed Value, SecretInt Index) ArgMax(IReadOnlyList<SecretFixed> values)
    {
        var (value, index) = ArgMax(Representations(values));
        return (AsFixed(value, values), index);
    }

    /// <summary>
    /// The rank of each value in descending (<paramref name="descending"/>) or ascending order, 0-based, ties broken by
    /// index (the earlier value ranks first), so the ranks are a permutation of 0..n−1.
    /// </summary>
    /// <remarks>One layer of n(n − 1)/2 comparisons ([v_i ≤ v_j] for i &lt; j, or ≥ for descending), then sums: constant rounds.</remarks>
    public static SecretInt[] Ranks(IReadOnlyList<SecretInt> values, bool descending = false)
    {
        Check(values);
        int n = values.Count;
        var b = values[0].Builder;
        int rankBits = Math.Max(2, (int)new BigInteger(n).GetBitLength() + 1);
        var ranks = new Wire[n];
        for (int i = 0; i < n; i++) ranks[i] = b.Constant(BigInteger.Zero);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                // first = [v_i comes before v_j]; ties keep index order.
                var first = (descending ? values[i] >= values[j] : values[i] <= values[j]).Wire;
                ranks[j] = b.Add(ranks[j], first);
                ranks[i] = b.Add(ranks[i], b.Sub(b.Constant(BigInteger.One), first));
            }
        var result = new SecretInt[n];
        for (int i = 0; i < n; i++) result[i] = new SecretInt(ranks[i], rankBits);
        return result;
    }

    /// <summary>The value of rank <paramref name="rank"/> (0-based, ascending unless <paramref name="descending"/>): constant rounds.</summary>
    /// <remarks><see cref="Ranks"/>, one layer of n equality tests [rank_i = r], then Σ [rank_i = r]·v_i (one multiplication layer).</remarks>
    public static SecretInt Select(IReadOnlyList<SecretInt> values, int rank, bool descending = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        Check(values);
        if (rank >= values.Count) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank {rank} of {values.Count} values.");
        var ranks = Ranks(values, descending);
        var b = values[0].Builder;
        Wire? sum = null;
        for (int i = 0; i < values.Count; i++)
        {
            var term = b.Mul(ranks[i].EqualTo(rank).Wire, values[i].Wire);
            sum = sum is null ? term : b.Add(sum.Value, term);
        }
        return new SecretInt(sum!.Value, values[0].Bits);
    }

    /// <summary>The median of an odd number of values (rank (n − 1)/2), constant rounds.</summary>
    /// <exception cref="ArgumentException">An even number of values (the median would need a division).</exception>
    public static SecretInt Median(IReadOnlyList<SecretInt> values)
    {
        Check(values);
        if (values.Count % 2 == 0)
            throw new ArgumentException($"The median of an even number of values ({values.Count}) is not one of them; use Select with both middle ranks.", nameof(values));
        return Select(values, values.Count / 2);
    }

    /// <summary>
    /// The k two's-complement bits of a k-bit value, least significant first: bit_i = t_i − 2·t_(i+1) with t_i = ⌊a / 2^i⌋.
    /// </summary>
    /// <remarks>
    /// The k − 1 exact truncations t_1..t_(k−1) are independent, so they run as one batched layer (1 + ⌈log2 m⌉ rounds for
    /// the largest m); t_0 = a, and the top bit is −t_(k−1) = [a &lt; 0]. Everything after the layer is linear.
    /// </remarks>
    public static SecretBool[] BitDecompose(SecretInt a)
    {
        var b = a.Builder;
        int k = a.Bits;
        var t = new Wire[k];
        t[0] = a.Wire;
        for (int i = 1; i < k; i++) t[i] = b.Trunc(a.Wire, k, i);
        var bits = new SecretBool[k];
        for (int i = 0; i < k - 1; i++) bits[i] = new SecretBool(b.Sub(t[i], b.MulConst(t[i + 1], 2)));
        bits[k - 1] = new SecretBool(b.MulConst(t[k - 1], BigInteger.MinusOne));
        return bits;
    }

    /// <summary>Σ 2^i·bit_i as a k-bit value (two's complement: the top bit weighs −2^(k−1)); free. Inverse of <see cref="BitDecompose"/>.</summary>
    public static SecretInt FromBits(IReadOnlyList<SecretBool> bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        if (bits.Count < 2) throw new ArgumentException("At least two bits are needed for a signed value.", nameof(bits));
        var b = bits[0].Builder;
        Wire acc = b.Constant(BigInteger.Zero);
        for (int i = 0; i < bits.Count; i++)
        {
            var weight = i == bits.Count - 1 ? -(BigInteger.One << i) : BigInteger.One << i;
            acc = b.Add(acc, b.MulConst(bits[i].Wire, weight));
        }
        return new SecretInt(acc, bits.Count);
    }

    private static (SecretInt Value, SecretInt Index) Tree(IReadOnlyList<SecretInt> values, Func<SecretInt, SecretInt, SecretBool> keepRight)
    {
        Check(values);
        var b = values[0].Builder;
        int indexBits = Math.Max(2, (int)new BigInteger(values.Count).GetBitLength() + 1);
        var level = new List<(SecretInt Value, SecretInt Index)>(values.Count);
        for (int i = 0; i < values.Count; i++) level.Add((values[i], SecretInt.Constant(b, i, indexBits)));
        while (level.Count > 1)
        {
            var next = new List<(SecretInt, SecretInt)>((level.Count + 1) / 2);
            for (int i = 0; i + 1 < level.Count; i += 2)
            {
                var (l, r) = (level[i], level[i + 1]);
                var right = keepRight(l.Value, r.Value);
                next.Add((right.Select(r.Value, l.Value), right.Select(r.Index, l.Index)));
            }
            if (level.Count % 2 == 1) next.Add(level[^1]);
            level = next;
        }
        return level[0];
    }

    private static void Check<TValue>(IReadOnlyList<TValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("No values.", nameof(values));
    }

    private static SecretInt[] Representations(IReadOnlyList<SecretFixed> values)
    {
        Check(values);
        var result = new SecretInt[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            SecretFixed.Same(values[0], values[i]);
            result[i] = values[i].Representation;
        }
        return result;
    }

    private static SecretFixed AsFixed(SecretInt representation, IReadOnlyList<SecretFixed> values) => new(representation.Wire, values[0].Format);
}
