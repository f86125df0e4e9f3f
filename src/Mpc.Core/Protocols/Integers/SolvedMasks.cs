using Mpc.Core.Fields;

namespace Mpc.Core.Protocols.Integers;

/// <summary>
/// This party's shares of a batch of PRandM masks (Catrina–de Hoogh 2010, §3, Protocol PRandM(k, m)):
/// per value i, random bits [r_0..r_{m−1}], [r'] = Σ 2^j·r_j and [r] = [r'] + 2^m·[r''] with r'' uniform in
/// [0, 2^(k+κ−m)), so r is uniform in [0, 2^(k+κ)) and its low m bits are known in shared form.
/// </summary>
/// <remarks>Struct-of-arrays and bit-major: bit j of value i is <c>LowBits.Span[j * Count + i]</c>. Use each mask once.</remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class SolvedMasks<T> where T : struct, IField<T>
{
    internal SolvedMasks(int count, int bits, int shift, int security, T[] mask, T[] low, ReadOnlyMemory<T> lowBits)
    {
        Count = count;
        Bits = bits;
        Shift = shift;
        Security = security;
        Mask = mask;
        Low = low;
        LowBits = lowBits;
    }

    /// <summary>Number of masks.</summary>
    public int Count { get; }

    /// <summary>k, the bit length of the values these masks hide.</summary>
    public int Bits { get; }

    /// <summary>m, the number of low bits known in shared form (0 ≤ m ≤ k).</summary>
    public int Shift { get; }

    /// <summary>κ, the statistical security of the masking.</summary>
    public int Security { get; }

    /// <summary>Shares of r = r' + 2^m·r'' ∈ [0, 2^(k+κ)).</summary>
    public ReadOnlyMemory<T> Mask { get; }

    /// <summary>Shares of r' = r mod 2^m.</summary>
    public ReadOnlyMemory<T> Low { get; }

    /// <summary>Shares of the bits of r', bit-major (m × Count).</summary>
    public ReadOnlyMemory<T> LowBits { get; }

    /// <summary>
    /// Shares of r_{2j}·r_{2j+1} for j &lt; ⌊m/2⌋, bit-major (⌊m/2⌋ × Count); empty when the masks were made
    /// without them (<see cref="MaskSource{T}.GenerateAsync"/>). With them the protocols' first AND/carry
    /// layer is local: each of its products is a degree-2 polynomial in two mask bits with public coefficients.
    /// </summary>
    public ReadOnlyMemory<T> PairProducts { get; internal set; }
}

/// <summary>Generates <see cref="SolvedMasks{T}"/> from jointly generated random bits: no dealer.</summary>
/// <remarks>
/// Catrina–de Hoogh 2010, §3 (PRandM). The paper draws r'' with PRandInt from pseudo-random replicated
/// sharing; without PRSS we build r'' from k + κ − m further random bits, so r'' is exactly uniform in
/// [0, 2^(k+κ−m)) and the bound 2^(k+κ+1) &lt; p stays the paper's. All k + κ random bits per mask come from
/// one <see cref="RandomBitSource{T}.GenerateAsync"/> call: three rounds per batch (two with checked openings), whatever its size.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class MaskSource<T> where T : struct, IField<T>
{
    /// <summary>Creates the source on a context.</summary>
    /// <param name="context">This party's protocol context.</param>
    /// <param name="security">κ, the statistical security in bits (default 40).</param>
    public MaskSource(ProtocolContext<T> context, int security = SignedEncoding.DefaultStatisticalSecurity)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(security);
        Bits = new RandomBitSource<T>(context);
        Security = security;
    }

    /// <summary>The random-bit source the masks are built from (shared with <see cref="IntegerProtocols{T}.PrepareManyAsync"/>).</summary>
    internal RandomBitSource<T> Bits { get; }

    /// <summary>κ, the statistical security in bits.</summary>
    public int Security { get; }

    /// <summary>This party's shares of <paramref name="count"/> masks for k-bit values with m shared low bits. Three rounds (two with checked openings).</summary>
    /// <param name="count">How many masks; every party passes the same count.</param>
    /// <param name="bits">k, the bit length of the values to mask.</param>
    /// <param name="shift">m, how many low bits of r are shared bit by bit (0 ≤ m ≤ k).</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="ArgumentException">k + κ + 1 ≥ log2 p, or m is out of range.</exception>
    public async ValueTask<SolvedMasks<T>> GenerateAsync(int count, int bits, int shift, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        SignedEncoding.Validate<T>(bits, Security, $"A mask for {bits}-bit values");
        if (shift < 0 || shift > bits)
            throw new ArgumentOutOfRangeException(nameof(shift), shift, $"The mask's shared low bits m must be in [0, k = {bits}].");
        T[] random = await Bits.GenerateAsync((bits + Security) * count, cancellationToken).ConfigureAwait(false);
        return Solve(random, count, bits, shift);
    }

    /// <summary>Builds <paramref name="count"/> masks from (k + κ)·count shared random bits, bit-major. Local, no communication.</summary>
    internal SolvedMasks<T> Solve(ReadOnlyMemory<T> random, int count, int bits, int shift)
    {
        int total = bits + Security; // m bits of r', k + κ − m bits of r''
        if (random.Length != total * count)
            throw new ArgumentException($"{count} masks of {bits} bits need {total * count} random bits, got {random.Length}.", nameof(random));
        // r' = Σ_{j<m} 2^j·r_j and r = Σ_{j<k+κ} 2^j·b_j (r'' = the bits from m on), as axpy passes over bit-major rows.
        var low = new T[count];
        var mask = new T[count];
        T power = T.One, two = T.FromUInt64(2);
        ReadOnlySpan<T> bitRows = random.Span;
        for (int j = 0; j < total; j++, power *= two)
        {
            ReadOnlySpan<T> row = bitRows.Slice(j * count, count);
            if (j < shift) T.ScaleAdd(row, power, low);
            else T.ScaleAdd(row, power, mask);
        }
        T.Add(mask, low, mask);
        return new SolvedMasks<T>(count, bits, shift, Security, mask, low, random[..(shift * count)]);
    }
}
