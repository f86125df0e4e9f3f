using Mpc.Core.Fields;

namespace Mpc.Core.Protocols.Integers;

/// <summary>
/// Comparison, equality, modular reduction, truncation and oblivious selection on shared signed k-bit
/// integers (Catrina–de Hoogh 2010, "Improved primitives for secure multiparty integer computation"),
/// semi-honest, batched: every call handles a whole vector of values in the rounds of one.
/// </summary>
/// <remarks>
/// <para>Values are encoded as in <see cref="SignedEncoding"/> (v ↦ v mod p) and must lie in
/// [−2^(k−1), 2^(k−1)); results outside that range are not detected (the protocols would return garbage,
/// as in the paper). Every protocol checks k + κ + 1 &lt; log2 p first (<see cref="SignedEncoding.Validate{T}"/>).</para>
/// <para>Shape (§3–§5): mask a with a PRandM mask r (<see cref="MaskSource{T}"/>), open c = 2^(k−1) + a + r
/// (statistically hiding: r is uniform over 2^(k+κ) values, a + 2^(k−1) over at most 2^k, so c's
/// distribution is within 2^−κ of independent of a), and finish with a circuit on the shared bits of r
/// against the public bits of c.</para>
/// <para>Online rounds with one-round openings (all-to-all, n &lt; 8); see <see cref="OnlineRounds"/>:
/// <list type="table">
/// <item><term>Mod2m, Trunc, LTZ (m = k − 1)</term><description>1 + ⌈log2 ⌈m/2⌉⌉: k = 32 → 5, k = 64 → 6.</description></item>
/// <item><term>LessThan, LessOrEqual (LTZ on k + 1 bits, m = k)</term><description>k = 32 → 5, k = 64 → 6.</description></item>
/// <item><term>TruncPr</term><description>1.</description></item>
/// <item><term>EQZ</term><description>1 + ⌈log2 ⌈k/2⌉⌉: k = 32 → 5, k = 64 → 6; Equal (k + 1 bits): 6 and 7.</description></item>
/// <item><term>Select</term><description>1.</description></item>
/// </list>
/// Catrina–de Hoogh's Table 1 gives 4 rounds for Trunc/LTZ and EQZ with their constant-round
/// PreMulC-based BitLT/KOr, and log2 k + 1 (LTZ) for the logarithmic CarryOutL variant used here, whose
/// first layer we move to preprocessing (products of adjacent mask bits, <see cref="SolvedMasks{T}.PairProducts"/>):
/// about m online multiplications instead of the constant-round variant's O(m) invertible-element
/// products, and 1–2 rounds more than it, which are cheap in memory and on a LAN.</para>
/// <para>Where which truncation: <see cref="TruncAsync"/> is exact (comparison is built on it, and integer
/// division by a power of two needs the exact floor); <see cref="TruncPrAsync"/> costs one round and no
/// triples but may round up, which fixed-point multiplication tolerates (Catrina–Saxena 2010).</para>
/// <para>Not thread-safe: one call at a time per instance, and every party calls the same methods in the same order.</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class IntegerProtocols<T> where T : struct, IField<T>
{
    private readonly Opener<T> _opener;
    private readonly BeaverMultiplier<T> _multiplier;
    private readonly MaskSource<T> _masks;
    private readonly Dn07TripleSource<T> _triples;
    private readonly T _twoTo64 = SignedEncoding.PowerOfTwo<T>(64);

    /// <summary>Creates the protocols on a context.</summary>
    /// <param name="context">This party's protocol context.</param>
    /// <param name="security">κ, the statistical security of the masking in bits (default 40).</param>
    public IntegerProtocols(ProtocolContext<T> context, int security = SignedEncoding.DefaultStatisticalSecurity)
    {
        ArgumentNullException.ThrowIfNull(context);
        _opener = new Opener<T>(context);
        _multiplier = new BeaverMultiplier<T>(_opener);
        _masks = new MaskSource<T>(context, security);
        _triples = new Dn07TripleSource<T>(context);
    }

    /// <summary>κ, the statistical security in bits.</summary>
    public int Security => _masks.Security;

    /// <summary>
    /// Generates the masks and triples for one batched call of <paramref name="operation"/> on
    /// <paramref name="count"/> values: 3 rounds for the random bits (2 with checked openings), 2 for the triples and 1 for the products of adjacent mask bits (if any).
    /// </summary>
    /// <param name="operation">The protocol to prepare for.</param>
    /// <param name="count">How many values the call will process.</param>
    /// <param name="bits">k, the bit length of the caller's values.</param>
    /// <param name="shift">m for Mod2m, Trunc and TruncPr (1 ≤ m &lt; k); ignored otherwise.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="ArgumentException">The parameters are refused (k + κ + 1 ≥ log2 p, m out of range).</exception>
    public async ValueTask<IntegerPreprocessing<T>> PrepareAsync(IntegerOperation operation, int count, int bits, int shift = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var (material, _) = await PrepareManyAsync([new IntegerRequest(operation, count, bits, shift)], 0, null, null, cancellationToken).ConfigureAwait(false);
        return material[0];
    }

    /// <summary>
    /// Generates the material of several batched calls at once: all their random bits in one
    /// <see cref="RandomBitSource{T}"/> call (3 rounds; 2 with checked openings), all their triples plus <paramref name="extraTriples"/>
    /// more (e.g. for a circuit's multiplications) in one <see cref="Dn07TripleSource{T}"/> call (2 rounds), and
    /// all products of adjacent mask bits in one Beaver layer (1 round), so preparing a whole circuit costs
    /// 7 rounds (6 with checked openings) however many groups it has.
    /// </summary>
    /// <param name="requests">The calls to prepare for, in any order; the result has one entry per request, in order.</param>
    /// <param name="extraTriples">Further triples to generate in the same batch.</param>
    /// <param name="triples">
    /// Triples to use instead of generating them (e.g. from a node's pool): at least the requests' total
    /// (<see cref="IntegerCost.TotalTriples"/> per value) plus <paramref name="extraTriples"/>; null to generate them.
    /// </param>
    /// <param name="randomBits">
    /// Shared random bits to use instead of generating them (e.g. from a node's pool): at least the requests' total
    /// (<see cref="IntegerCost.RandomBits"/> per value); null to generate them.
    /// </param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <returns>The material per request and the <paramref name="extraTriples"/> triples.</returns>
    /// <exception cref="ArgumentException">A request is refused (k + κ + 1 ≥ log2 p, m out of range, negative count), or too few triples are given.</exception>
    public async ValueTask<(IntegerPreprocessing<T>[] Material, TripleBatch<T> Triples)> PrepareManyAsync(
        IReadOnlyList<IntegerRequest> requests, int extraTriples = 0, TripleBatch<T>? triples = null, ReadOnlyMemory<T>? randomBits = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfNegative(extraTriples);
        var plans = new IntegerCost[requests.Count];
        long bitCount = 0, tripleCount = extraTriples, productCount = 0;
        for (int i = 0; i < plans.Length; i++)
        {
            var r = requests[i];
            if (r.Count < 0) throw new ArgumentOutOfRangeException(nameof(requests), r.Count, $"Request {i} ({r.Operation}) has a negative count.");
            plans[i] = Plan(r.Operation, r.Bits, r.Shift, Security);
            bitCount += (long)plans[i].RandomBits(Security) * r.Count;
            tripleCount += (long)plans[i].Triples * r.Count;
            productCount += (long)plans[i].PairProducts * r.Count;
        }
        if (bitCount > Array.MaxLength || tripleCount + productCount > Array.MaxLength)
            throw new ArgumentException($"The requests need {bitCount} random bits and {tripleCount + productCount} triples; prepare them in smaller batches.", nameof(requests));

        int total = (int)(tripleCount + productCount);
        if (triples is { } given && given.Count < total)
            throw new ArgumentException($"The requests need {total} triples; {given.Count} given.", nameof(triples));
        if (randomBits is { } bitsGiven && bitsGiven.Length < bitCount)
            throw new ArgumentException($"The requests need {bitCount} random bits; {bitsGiven.Length} given.", nameof(randomBits));
        ReadOnlyMemory<T> random = randomBits ?? (bitCount == 0 ? ReadOnlyMemory<T>.Empty
            : await _masks.Bits.GenerateAsync((int)bitCount, cancellationToken).ConfigureAwait(false));
        TripleBatch<T> batch = triples ?? (total == 0
            ? new TripleBatch<T>(ReadOnlyMemory<T>.Empty, ReadOnlyMemory<T>.Empty, ReadOnlyMemory<T>.Empty)
            : await _triples.GenerateAsync(total, cancellationToken).ConfigureAwait(false));

        var masks = new SolvedMasks<T>[plans.Length];
        int bitAt = 0;
        for (int i = 0; i < plans.Length; i++)
        {
            int bits = plans[i].RandomBits(Security) * requests[i].Count;
            masks[i] = _masks.Solve(random.Slice(bitAt, bits), requests[i].Count, plans[i].MaskBits, plans[i].MaskShift);
            bitAt += bits;
        }
        await PairProductsAsync(masks, plans, batch.Slice((int)tripleCount, (int)productCount), cancellationToken).ConfigureAwait(false);

        var material = new IntegerPreprocessing<T>[plans.Length];
        int tripleAt = 0;
        for (int i = 0; i < plans.Length; i++)
        {
            int used = plans[i].Triples * requests[i].Count;
            material[i] = new IntegerPreprocessing<T>(requests[i].Operation, requests[i].Bits, plans[i].Shift, masks[i], batch.Slice(tripleAt, used));
            tripleAt += used;
        }
        return (material, batch.Slice(tripleAt, extraTriples));
    }

    /// <summary>[r_{2j}·r_{2j+1}] for every mask that needs them, all in one Beaver layer.</summary>
    private async ValueTask PairProductsAsync(SolvedMasks<T>[] masks, IntegerCost[] plans, TripleBatch<T> triples, CancellationToken cancellationToken)
    {
        if (triples.Count == 0) return;
        var x = GC.AllocateUninitializedArray<T>(triples.Count);
        var y = GC.AllocateUninitializedArray<T>(triples.Count);
        int at = 0;
        for (int i = 0; i < masks.Length; i++)
        {
            int count = masks[i].Count;
            ReadOnlySpan<T> bits = masks[i].LowBits.Span;
            for (int j = 0; j < plans[i].PairProducts; j++, at += count)
            {
                bits.Slice(2 * j * count, count).CopyTo(x.AsSpan(at));
                bits.Slice((2 * j + 1) * count, count).CopyTo(y.AsSpan(at));
            }
        }
        T[] products = await _multiplier.MultiplyAsync(x, y, triples, cancellationToken).ConfigureAwait(false);
        at = 0;
        for (int i = 0; i < masks.Length; i++)
        {
            int length = plans[i].PairProducts * masks[i].Count;
            masks[i].PairProducts = products.AsMemory(at, length);
            at += length;
        }
    }

    /// <summary>Beaver triples one value of <paramref name="operation"/> consumes.</summary>
    /// <exception cref="ArgumentException">The parameters are refused.</exception>
    public int TriplesPerValue(IntegerOperation operation, int bits, int shift = 0) => Plan(operation, bits, shift, Security).Triples;

    /// <summary>Online rounds of <paramref name="operation"/> with one-round openings (the same for any batch size).</summary>
    /// <exception cref="ArgumentException">The parameters are refused.</exception>
    public int OnlineRounds(IntegerOperation operation, int bits, int shift = 0) => Plan(operation, bits, shift, Security).Rounds;

    /// <summary>Shares of a mod 2^m ∈ [0, 2^m) for each k-bit a. Rounds 1 + ⌈log2 m⌉.</summary>
    /// <remarks>Catrina–de Hoogh 2010, §3.2 (Mod2m): open c = 2^(k−1) + a + r, then
    /// a mod 2^m = (c mod 2^m) − r' + 2^m·[c mod 2^m &lt; r'] with <see cref="BitLessThanAsync"/>.</remarks>
    /// <param name="a">Shares of the values.</param>
    /// <param name="bits">k.</param>
    /// <param name="shift">m, 1 ≤ m &lt; k.</param>
    /// <param name="preprocessing">Material from <see cref="PrepareAsync"/> for (Mod2m, a.Length, k, m); generated when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> Mod2mAsync(ReadOnlyMemory<T> a, int bits, int shift, IntegerPreprocessing<T>? preprocessing = null,
        CancellationToken cancellationToken = default)
    {
        IntegerPreprocessing<T> pre = await MaterialAsync(IntegerOperation.Mod2m, a.Length, bits, shift, preprocessing, cancellationToken).ConfigureAwait(false);
        return await Mod2mCoreAsync(a, bits, shift, pre, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Exact shares of ⌊a / 2^m⌋ (floor, also for negative a). Rounds 1 + ⌈log2 m⌉.</summary>
    /// <remarks>Catrina–de Hoogh 2010, §3.2 (Trunc): (a − Mod2m(a, k, m))·2^−m.</remarks>
    /// <param name="a">Shares of the values.</param>
    /// <param name="bits">k.</param>
    /// <param name="shift">m, 1 ≤ m &lt; k.</param>
    /// <param name="preprocessing">Material for (Trunc, a.Length, k, m); generated when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> TruncAsync(ReadOnlyMemory<T> a, int bits, int shift, IntegerPreprocessing<T>? preprocessing = null,
        CancellationToken cancellationToken = default)
    {
        IntegerPreprocessing<T> pre = await MaterialAsync(IntegerOperation.Trunc, a.Length, bits, shift, preprocessing, cancellationToken).ConfigureAwait(false);
        T[] low = await Mod2mCoreAsync(a, bits, shift, pre, cancellationToken).ConfigureAwait(false);
        T.Subtract(a.Span, low, low);
        T.Scale(low, SignedEncoding.PowerOfTwo<T>(shift).Inverse(), low);
        return low;
    }

    /// <summary>
    /// Shares of ⌊a / 2^m⌋ + u with u ∈ {0, 1}, Pr[u = 1] = (a mod 2^m)/2^m. One round, no triples.
    /// </summary>
    /// <remarks>Catrina–de Hoogh 2010, §3.1 (TruncPr): open c = 2^(k−1) + a + r and return
    /// (a − (c mod 2^m) + r')·2^−m; the carry of (a mod 2^m) + r' into bit m is the rounding error.</remarks>
    /// <param name="a">Shares of the values.</param>
    /// <param name="bits">k.</param>
    /// <param name="shift">m, 1 ≤ m &lt; k.</param>
    /// <param name="preprocessing">Material for (TruncPr, a.Length, k, m); generated when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> TruncPrAsync(ReadOnlyMemory<T> a, int bits, int shift, IntegerPreprocessing<T>? preprocessing = null,
        CancellationToken cancellationToken = default)
    {
        IntegerPreprocessing<T> pre = await MaterialAsync(IntegerOperation.TruncPr, a.Length, bits, shift, preprocessing, cancellationToken).ConfigureAwait(false);
        T[] c = await OpenMaskedAsync(a, bits, pre.Masks, cancellationToken).ConfigureAwait(false);
        UInt128 lowMask = (UInt128.One << shift) - 1;
        for (int i = 0; i < c.Length; i++) c[i] = SignedEncoding.FromUInt128(SignedEncoding.Low128(c[i]) & lowMask, _twoTo64);
        T.Subtract(pre.Masks.Low.Span, c, c);
        T.Add(a.Span, c, c);
        T.Scale(c, SignedEncoding.PowerOfTwo<T>(shift).Inverse(), c);
        return c;
    }

    /// <summary>Shares of [a &lt; 0] ∈ {0, 1} for k-bit signed a. Rounds 1 + ⌈log2 (k − 1)⌉.</summary>
    /// <remarks>Catrina–de Hoogh 2010, §5 (LTZ): [a &lt; 0] = −Trunc(a, k, k − 1), since ⌊a / 2^(k−1)⌋ ∈ {−1, 0}.</remarks>
    /// <param name="a">Shares of the values.</param>
    /// <param name="bits">k ≥ 2.</param>
    /// <param name="preprocessing">Material for (LessThanZero, a.Length, k); generated when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> LessThanZeroAsync(ReadOnlyMemory<T> a, int bits, IntegerPreprocessing<T>? preprocessing = null,
        CancellationToken cancellationToken = default)
    {
        IntegerPreprocessing<T> pre = await MaterialAsync(IntegerOperation.LessThanZero, a.Length, bits, 0, preprocessing, cancellationToken).ConfigureAwait(false);
        return await LessThanZeroCoreAsync(a, bits, pre, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shares of [x &lt; y] for k-bit signed x, y: LTZ(x − y) on k + 1 bits. Rounds 1 + ⌈log2 k⌉.</summary>
    /// <param name="x">Shares of the left operands.</param>
    /// <param name="y">Shares of the right operands, same length.</param>
    /// <param name="bits">k, the bit length of x and y.</param>
    /// <param name="preprocessing">Material for (LessThan, x.Length, k); generated when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> LessThanAsync(ReadOnlyMemory<T> x, ReadOnlyMemory<T> y, int bits, IntegerPreprocessing<T>? preprocessing = null,
        CancellationToken cancellationToken = default)
    {
        T[] difference = Difference(x, y);
        IntegerPreprocessing<T> pre = await MaterialAsync(IntegerOperation.LessThan, x.Length, bits, 0, preprocessing, cancellationToken).ConfigureAwait(false);
        return await LessThanZeroCoreAsync(difference, bits + 1, pre, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shares of [x ≤ y] for k-bit signed x, y: 1 − [y &lt; x]. Rounds 1 + ⌈log2 k⌉.</summary>
    /// <param name="x">Shares of the left operands.</param>
    /// <param name="y">Shares of the right operands, same length.</param>
    /// <param name="bits">k, the bit length of x and y.</param>
    /// <param name="preprocessing">Material for (LessOrEqual, x.Length, k); generated when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> LessOrEqualAsync(ReadOnlyMemory<T> x, ReadOnlyMemory<T> y, int bits, IntegerPreprocessing<T>? preprocessing = null,
        CancellationToken cancellationToken = default)
    {
        T[] difference = Difference(y, x);
        IntegerPreprocessing<T> pre = await MaterialAsync(IntegerOperation.LessOrEqual, x.Length, bits, 0, preprocessing, cancellationToken).ConfigureAwait(false);
        T[] greater = await LessThanZeroCoreAsync(difference, bits + 1, pre, cancellationToken).ConfigureAwait(false);
        OneMinus(greater);
        return greater;
    }

    /// <summary>Shares of [a = 0] ∈ {0, 1} for k-bit signed a. Rounds 1 + ⌈log2 k⌉.</summary>
    /// <remarks>Catrina–de Hoogh 2010, §3.3 (EQZ): open c = 2^(k−1) + a + r with m = k shared bits of r;
    /// a = 0 exactly when (c − 2^(k−1)) mod 2^k = r', i.e. when every bit agrees. Agreement of bit j is
    /// linear (c_j public), and the AND of the k agreements is a product tree of ⌈log2 k⌉ layers
    /// (the logarithmic form of the paper's KOr).</remarks>
    /// <param name="a">Shares of the values.</param>
    /// <param name="bits">k.</param>
    /// <param name="preprocessing">Material for (EqualZero, a.Length, k); generated when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> EqualZeroAsync(ReadOnlyMemory<T> a, int bits, IntegerPreprocessing<T>? preprocessing = null,
        CancellationToken cancellationToken = default)
    {
        IntegerPreprocessing<T> pre = await MaterialAsync(IntegerOperation.EqualZero, a.Length, bits, 0, preprocessing, cancellationToken).ConfigureAwait(false);
        return await EqualZeroCoreAsync(a, bits, pre, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shares of [x = y] for k-bit signed x, y: EQZ(x − y) on k + 1 bits. Rounds 1 + ⌈log2 (k + 1)⌉.</summary>
    /// <param name="x">Shares of the left operands.</param>
    /// <param name="y">Shares of the right operands, same length.</param>
    /// <param name="bits">k, the bit length of x and y.</param>
    /// <param name="preprocessing">Material for (Equal, x.Length, k); generated when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> EqualAsync(ReadOnlyMemory<T> x, ReadOnlyMemory<T> y, int bits, IntegerPreprocessing<T>? preprocessing = null,
        CancellationToken cancellationToken = default)
    {
        T[] difference = Difference(x, y);
        IntegerPreprocessing<T> pre = await MaterialAsync(IntegerOperation.Equal, x.Length, bits, 0, preprocessing, cancellationToken).ConfigureAwait(false);
        return await EqualZeroCoreAsync(difference, bits + 1, pre, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Oblivious select: shares of c ? x : y = y + c·(x − y) for shared bits c. One round, one triple per value.</summary>
    /// <param name="condition">Shares of bits (0 or 1; other values give y + c·(x − y) all the same).</param>
    /// <param name="x">Shares chosen where the condition is 1.</param>
    /// <param name="y">Shares chosen where the condition is 0.</param>
    /// <param name="triples">One unused triple per value; generated (3 more rounds) when null.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    public async ValueTask<T[]> SelectAsync(ReadOnlyMemory<T> condition, ReadOnlyMemory<T> x, ReadOnlyMemory<T> y, TripleBatch<T>? triples = null,
        CancellationToken cancellationToken = default)
    {
        if (x.Length != condition.Length) throw new ArgumentException($"Select got {condition.Length} conditions and {x.Length} values.", nameof(x));
        T[] difference = Difference(x, y);
        TripleBatch<T> batch = triples ?? await _triples.GenerateAsync(difference.Length, cancellationToken).ConfigureAwait(false);
        await _multiplier.MultiplyAsync(condition, difference, batch, difference, cancellationToken).ConfigureAwait(false);
        T.Add(difference, y.Span, difference);
        return difference;
    }

    private async ValueTask<IntegerPreprocessing<T>> MaterialAsync(IntegerOperation operation, int count, int bits, int shift,
        IntegerPreprocessing<T>? given, CancellationToken cancellationToken)
    {
        if (given is null) return await PrepareAsync(operation, count, bits, shift, cancellationToken).ConfigureAwait(false);
        IntegerCost plan = Plan(operation, bits, shift, Security);
        if (given.Operation != operation || given.Bits != bits || given.Shift != plan.Shift || given.Count != count
            || given.Masks.Security != Security || given.Triples.Count != plan.Triples * count)
            throw new ArgumentException(
                $"Preprocessing for {given.Operation} of {given.Count} values (k = {given.Bits}, m = {given.Shift}, κ = {given.Masks.Security}) " +
                $"cannot serve {operation} of {count} values (k = {bits}, m = {plan.Shift}, κ = {Security}).", nameof(given));
        return given;
    }

    private static T[] Difference(ReadOnlyMemory<T> x, ReadOnlyMemory<T> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Operand vectors differ in length ({x.Length} vs {y.Length}).", nameof(y));
        var difference = GC.AllocateUninitializedArray<T>(x.Length);
        T.Subtract(x.Span, y.Span, difference);
        return difference;
    }

    private static void OneMinus(Span<T> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = T.One - values[i];
    }

    /// <summary>LTZ on k bits: (Mod2m(a, k, k − 1) − a)·2^−(k−1).</summary>
    private async ValueTask<T[]> LessThanZeroCoreAsync(ReadOnlyMemory<T> a, int bits, IntegerPreprocessing<T> pre, CancellationToken cancellationToken)
    {
        T[] low = await Mod2mCoreAsync(a, bits, bits - 1, pre, cancellationToken).ConfigureAwait(false);
        T.Subtract(low, a.Span, low);
        T.Scale(low, SignedEncoding.PowerOfTwo<T>(bits - 1).Inverse(), low);
        return low;
    }

    /// <summary>Opens c = 2^(k−1) + a + r: one round. 2^(k−1) + a ∈ [0, 2^k), so c &lt; 2^k + 2^(k+κ) &lt; p never wraps.</summary>
    private async ValueTask<T[]> OpenMaskedAsync(ReadOnlyMemory<T> a, int bits, SolvedMasks<T> masks, CancellationToken cancellationToken)
    {
        var masked = GC.AllocateUninitializedArray<T>(a.Length);
        T.Add(a.Span, masks.Mask.Span, masked);
        T offset = SignedEncoding.PowerOfTwo<T>(bits - 1);
        for (int i = 0; i < masked.Length; i++) masked[i] += offset;
        Opener<T>.Opening opening = _opener.PrepareOpenConsuming(masked, _opener.Threshold);
        await _opener.ExchangeAsync(opening, cancellationToken).ConfigureAwait(false);
        // Not into `masked`: the transport handed it to the peers, who may still be reading it.
        var opened = GC.AllocateUninitializedArray<T>(a.Length);
        _opener.FinalizeOpen(opening, opened);
        return opened;
    }

    private async ValueTask<T[]> Mod2mCoreAsync(ReadOnlyMemory<T> a, int bits, int shift, IntegerPreprocessing<T> pre, CancellationToken cancellationToken)
    {
        T[] c = await OpenMaskedAsync(a, bits, pre.Masks, cancellationToken).ConfigureAwait(false);
        // c' = c mod 2^m = (a + r') mod 2^m, since 2^m divides 2^(k−1) and 2^m·r''. Public.
        var low = new UInt128[c.Length];
        UInt128 lowMask = (UInt128.One << shift) - 1;
        for (int i = 0; i < c.Length; i++) low[i] = SignedEncoding.Low128(c[i]) & lowMask;

        T[] u = await BitLessThanAsync(low, pre.Masks, shift, pre.Triples, cancellationToken).ConfigureAwait(false);
        // a mod 2^m = c' − r' + 2^m·[c' < r'] (the wrap of a + r' past a multiple of 2^m).
        T.Scale(u, SignedEncoding.PowerOfTwo<T>(shift), u);
        T.Subtract(u, pre.Masks.Low.Span, u);
        for (int i = 0; i < u.Length; i++) u[i] += SignedEncoding.FromUInt128(low[i], _twoTo64);
        return u;
    }

    /// <summary>
    /// BitLT (Catrina–de Hoogh 2010, §3.2): shares of [c_i &lt; r_i] for public m-bit c_i and shared bits of r_i,
    /// in ⌈log2 m⌉ rounds and 2·⌊L/2⌋ − 1 multiplications per layer of L blocks.
    /// </summary>
    /// <remarks>
    /// c &lt; r ⇔ c + (2^m − 1 − r) + 1 &lt; 2^m ⇔ the carry out of c + ¬r + 1 is 0 (the paper's CarryOutL).
    /// Per bit, generate g_j = c_j ∧ ¬r_j and propagate p_j = c_j ⊕ ¬r_j are linear because c_j is public;
    /// the carry-in folds into g_0 (g_0 ∨ p_0 = g_0 + p_0, the two being exclusive). Adjacent blocks combine
    /// as (g, p) = (g_hi + p_hi·g_lo, p_hi·p_lo) — g_hi and p_hi·g_lo are exclusive, so OR is a sum — in a
    /// balanced tree. The lowest block's propagate is never used (nothing lies below it), so it is not computed.
    /// Shares are bit-major (block j of value i at j·count + i) so every step is a span kernel.
    /// </remarks>
    private async ValueTask<T[]> BitLessThanAsync(UInt128[] c, SolvedMasks<T> masks, int m, TripleBatch<T> triples, CancellationToken cancellationToken)
    {
        int count = c.Length, pairs = m / 2;
        var g = GC.AllocateUninitializedArray<T>((m - pairs) * count);
        var p = GC.AllocateUninitializedArray<T>((m - pairs) * count);
        ReadOnlySpan<T> r = masks.LowBits.Span, rr = masks.PairProducts.Span;
        if (rr.Length != pairs * count)
            throw new InvalidOperationException($"The masks carry {rr.Length} pair products; BitLT on {m} bits of {count} values needs {pairs * count}.");
        // First layer, local: blocks (2j, 2j + 1) combine with r_{2j}·r_{2j+1} preprocessed.
        for (int j = 0; j < pairs; j++)
        {
            int lo = 2 * j, hi = lo + 1;
            for (int i = 0; i < count; i++)
            {
                // c is public: branching on its bits leaks nothing.
                var (al, bl, gl, dl) = CarryLeaf(c[i], lo);
                var (ah, bh, gh, dh) = CarryLeaf(c[i], hi);
                T rl = r[lo * count + i], rh = r[hi * count + i], rp = rr[j * count + i];
                // g = g_hi + p_hi·g_lo and p = p_hi·p_lo, expanded in the two bits (r_lo·r_hi = rp).
                g[j * count + i] = Affine(ah + gh * al, gh * bl, rl, bh + dh * al, rh, dh * bl, rp);
                p[j * count + i] = j == 0 ? T.Zero : Affine(gh * gl, gh * dl, rl, dh * gl, rh, dh * dl, rp);
            }
        }
        if ((m & 1) == 1)
        {
            int leaf = m - 1;
            for (int i = 0; i < count; i++)
            {
                var (a, b, gamma, delta) = CarryLeaf(c[i], leaf);
                T bit = r[leaf * count + i];
                g[pairs * count + i] = Affine(a, b, bit, 0, T.Zero, 0, T.Zero);
                p[pairs * count + i] = Affine(gamma, delta, bit, 0, T.Zero, 0, T.Zero);
            }
        }

        int blocks = m - pairs, used = 0;
        while (blocks > 1)
        {
            pairs = blocks / 2;
            int products = 2 * pairs - 1;
            var x = GC.AllocateUninitializedArray<T>(products * count);
            var y = GC.AllocateUninitializedArray<T>(products * count);
            for (int j = 0; j < pairs; j++)
            {
                ReadOnlySpan<T> pHigh = p.AsSpan((2 * j + 1) * count, count);
                pHigh.CopyTo(x.AsSpan(j * count));
                g.AsSpan(2 * j * count, count).CopyTo(y.AsSpan(j * count));
                if (j == 0) continue;
                pHigh.CopyTo(x.AsSpan((pairs + j - 1) * count));
                p.AsSpan(2 * j * count, count).CopyTo(y.AsSpan((pairs + j - 1) * count));
            }
            await _multiplier.MultiplyAsync(x, y, triples.Slice(used, x.Length), x, cancellationToken).ConfigureAwait(false);
            used += x.Length;
            // Block j of the next layer is written after blocks 2j, 2j + 1 ≥ j were read: in place is safe.
            for (int j = 0; j < pairs; j++)
            {
                T.Add(g.AsSpan((2 * j + 1) * count, count), x.AsSpan(j * count, count), g.AsSpan(j * count, count));
                if (j > 0) x.AsSpan((pairs + j - 1) * count, count).CopyTo(p.AsSpan(j * count));
            }
            if ((blocks & 1) == 1)
            {
                g.AsSpan((blocks - 1) * count, count).CopyTo(g.AsSpan(pairs * count));
                p.AsSpan((blocks - 1) * count, count).CopyTo(p.AsSpan(pairs * count));
            }
            blocks = pairs + (blocks & 1);
        }

        var less = GC.AllocateUninitializedArray<T>(count);
        g.AsSpan(0, count).CopyTo(less);
        OneMinus(less); // c < r ⇔ no carry out
        return less;
    }

    private async ValueTask<T[]> EqualZeroCoreAsync(ReadOnlyMemory<T> a, int bits, IntegerPreprocessing<T> pre, CancellationToken cancellationToken)
    {
        T[] c = await OpenMaskedAsync(a, bits, pre.Masks, cancellationToken).ConfigureAwait(false);
        int count = c.Length;
        UInt128 offset = UInt128.One << (bits - 1), lowMask = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        // e_j = [bit j of (a + r') mod 2^k equals r_j] = α_j + β_j·r_j is affine in r_j (c public), so the first
        // AND layer e_{2j}·e_{2j+1} is local with the preprocessed r_{2j}·r_{2j+1}.
        int pairs = bits / 2, blocks = bits - pairs;
        var agree = GC.AllocateUninitializedArray<T>(blocks * count);
        ReadOnlySpan<T> r = pre.Masks.LowBits.Span, rr = pre.Masks.PairProducts.Span;
        if (rr.Length != pairs * count)
            throw new InvalidOperationException($"The masks carry {rr.Length} pair products; EQZ on {bits} bits of {count} values needs {pairs * count}.");
        for (int i = 0; i < count; i++)
        {
            UInt128 low = (SignedEncoding.Low128(c[i]) - offset) & lowMask; // (c − 2^(k−1)) mod 2^k; wrapping is right mod 2^k
            for (int j = 0; j < pairs; j++)
            {
                // Agreement with a set bit is r, with a clear bit 1 − r: (α, β) = (0, 1) or (1, −1).
                int al = ((low >> (2 * j)) & UInt128.One) != UInt128.Zero ? 0 : 1, bl = 1 - 2 * al;
                int ah = ((low >> (2 * j + 1)) & UInt128.One) != UInt128.Zero ? 0 : 1, bh = 1 - 2 * ah;
                agree[j * count + i] = Affine(al * ah, ah * bl, r[2 * j * count + i], al * bh, r[(2 * j + 1) * count + i], bl * bh, rr[j * count + i]);
            }
            if ((bits & 1) == 1)
            {
                T bit = r[(bits - 1) * count + i];
                agree[pairs * count + i] = ((low >> (bits - 1)) & UInt128.One) != UInt128.Zero ? bit : T.One - bit;
            }
        }

        // AND of the remaining blocks: a product tree, ⌊L/2⌋ products per layer.
        int used = 0;
        while (blocks > 1)
        {
            pairs = blocks / 2;
            var x = GC.AllocateUninitializedArray<T>(pairs * count);
            var y = GC.AllocateUninitializedArray<T>(pairs * count);
            for (int j = 0; j < pairs; j++)
            {
                agree.AsSpan(2 * j * count, count).CopyTo(x.AsSpan(j * count));
                agree.AsSpan((2 * j + 1) * count, count).CopyTo(y.AsSpan(j * count));
            }
            await _multiplier.MultiplyAsync(x, y, pre.Triples.Slice(used, x.Length), x, cancellationToken).ConfigureAwait(false);
            used += x.Length;
            x.CopyTo(agree, 0);
            if ((blocks & 1) == 1) agree.AsSpan((blocks - 1) * count, count).CopyTo(agree.AsSpan(pairs * count));
            blocks = pairs + (blocks & 1);
        }
        return agree.AsSpan(0, count).ToArray();
    }

    /// <summary>
    /// Leaf j of BitLT as affine functions of r_j: g = α + β·r_j, p = γ + δ·r_j. With c_j = 1: g = ¬r_j, p = r_j;
    /// with c_j = 0: g = 0, p = ¬r_j; the carry-in folds into leaf 0 (g_0 ∨ p_0: 1 when c_0 = 1, ¬r_0 when c_0 = 0).
    /// </summary>
    private static (int Alpha, int Beta, int Gamma, int Delta) CarryLeaf(UInt128 c, int j)
    {
        bool set = ((c >> j) & UInt128.One) != UInt128.Zero;
        return set ? (1, j == 0 ? 0 : -1, 0, 1) : (j == 0 ? 1 : 0, j == 0 ? -1 : 0, 1, -1);
    }

    /// <summary>k0 + k1·x1 + k2·x2 + k3·x3 for small public integers k (|k| ≤ 2): additions only.</summary>
    private static T Affine(int k0, int k1, T x1, int k2, T x2, int k3, T x3) =>
        Scaled(k0, T.One) + Scaled(k1, x1) + Scaled(k2, x2) + Scaled(k3, x3);

    private static T Scaled(int k, T x) => k switch
    {
        0 => T.Zero,
        1 => x,
        -1 => T.Zero - x,
        2 => x + x,
        -2 => T.Zero - (x + x),
        _ => throw new ArgumentOutOfRangeException(nameof(k), k, "Coefficients of the bit circuits lie in [−2, 2]."),
    };

    /// <summary>The cost of <paramref name="operation"/> after checking k and m and the field bound k + κ + 1 &lt; log2 p.</summary>
    private static IntegerCost Plan(IntegerOperation operation, int bits, int shift, int security)
    {
        var cost = IntegerCost.For(operation, bits, shift);
        string what = $"{operation} on {bits}-bit values";
        // LessThan/Equal open the (k + 1)-bit difference: the bound applies to the mask's k.
        SignedEncoding.Validate<T>(cost.MaskBits, security, cost.MaskBits == bits ? what : what + " (k + 1 bits for the difference)");
        return cost;
    }
}
