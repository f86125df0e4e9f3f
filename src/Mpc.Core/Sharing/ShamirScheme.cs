using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Mpc.Core.Fields;

namespace Mpc.Core.Sharing;

/// <summary>
/// Shamir secret sharing over <typeparamref name="T"/> among n parties with threshold t (any t
/// shares reveal nothing, any t + 1 reconstruct). Party i holds the evaluation at x = i + 1.
/// </summary>
/// <remarks>
/// <para>Shamir 1979, "How to share a secret": the secret is the constant term of a uniformly random
/// polynomial of degree t. The scheme enforces the honest-majority bound n ≥ 2t + 1, which the
/// protocols above it need so that a product of two sharings (degree 2t) is still reconstructible.</para>
/// <para>Batch layout. A batch of <c>count</c> secrets is shared into one span in party-major order,
/// <c>shares[party * count + i]</c>, so each party's vector is contiguous and can be sent as one
/// message. Batch reconstruction takes one vector per listed party (<c>shares[k].Span[i]</c>).</para>
/// <para>Lagrange coefficients are cached per (subset of parties, evaluation point), so repeated
/// openings over the same parties cost only the linear combination. Instances are thread-safe.</para>
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class ShamirScheme<T> where T : struct, IField<T>
{
    private readonly ConcurrentDictionary<SubsetKey, T[]> _lagrange = new(SubsetComparer.Instance);
    private readonly ConcurrentDictionary<SubsetKey, T[]>.AlternateLookup<SubsetProbe> _lagrangeBySpan;

    /// <summary>Creates a scheme for <paramref name="parties"/> parties and threshold <paramref name="threshold"/>.</summary>
    /// <exception cref="ArgumentException">
    /// t &lt; 0, n &lt; 2t + 1 (no honest majority), or the field has fewer than n + 1 distinct points.
    /// </exception>
    public ShamirScheme(int parties, int threshold)
    {
        if (threshold < 0)
            throw new ArgumentException($"Threshold t = {threshold} must be non-negative.", nameof(threshold));
        if (parties < 2 * threshold + 1 || parties < 1)
            throw new ArgumentException(
                $"Shamir sharing with n = {parties} parties and threshold t = {threshold} needs n ≥ 2t + 1 = {2 * threshold + 1} (honest majority).",
                nameof(parties));
        if (T.Modulus <= parties)
            throw new ArgumentException($"Field {T.Name} has too few elements for {parties} distinct evaluation points.", nameof(parties));
        Parties = parties;
        Threshold = threshold;
        _lagrangeBySpan = _lagrange.GetAlternateLookup<SubsetProbe>();
    }

    /// <summary>The number of parties n.</summary>
    public int Parties { get; }

    /// <summary>The threshold t: the degree of sharings and the largest coalition that learns nothing.</summary>
    public int Threshold { get; }

    /// <summary>The evaluation point of <paramref name="party"/>: x = party + 1.</summary>
    public static T EvaluationPoint(int party) => T.FromUInt64((ulong)party + 1);

    /// <summary>Shares one secret with a fresh random polynomial of degree t.</summary>
    /// <returns>The n shares, indexed by party.</returns>
    public T[] Share(T secret, IRandomSource random)
    {
        var shares = new T[Parties];
        ShareBatch(new ReadOnlySpan<T>(in secret), Threshold, random, shares);
        return shares;
    }

    /// <summary>Shares each secret with its own fresh random polynomial of degree t.</summary>
    /// <param name="secrets">The secrets.</param>
    /// <param name="random">Randomness for the polynomial coefficients.</param>
    /// <param name="shares">Destination of length n · count, party-major: <c>shares[party * count + i]</c>.</param>
    public void ShareBatch(ReadOnlySpan<T> secrets, IRandomSource random, Span<T> shares) =>
        ShareBatch(secrets, Threshold, random, shares);

    /// <summary>Shares each secret with its own fresh random polynomial of the given degree (t or 2t for double sharings).</summary>
    /// <param name="secrets">The secrets.</param>
    /// <param name="degree">Polynomial degree, 0 ≤ degree &lt; n.</param>
    /// <param name="random">Randomness for the polynomial coefficients.</param>
    /// <param name="shares">Destination of length n · count, party-major: <c>shares[party * count + i]</c>.</param>
    /// <remarks>
    /// Coefficients 1..degree are drawn for the whole batch at once; party j's vector is then
    /// <c>secrets + Σ_k coef_k · x_j^k</c>, computed with one <see cref="IField{T}.ScaleAdd"/> pass per
    /// coefficient (n · degree passes over the batch, no per-element allocation).
    /// </remarks>
    public void ShareBatch(ReadOnlySpan<T> secrets, int degree, IRandomSource random, Span<T> shares)
    {
        if (shares.Length != Parties * secrets.Length)
            throw new ArgumentException($"Destination holds {shares.Length} shares; n · count = {Parties} · {secrets.Length} = {Parties * secrets.Length} expected.", nameof(shares));
        ShareBatch(secrets, degree, random, shares, secrets.Length, 0);
    }

    /// <summary>
    /// As <see cref="ShareBatch(ReadOnlySpan{T}, int, IRandomSource, Span{T})"/>, but party j's vector goes to
    /// <c>shares[j * partyStride + offset ..][..count]</c>, so several kinds of sharings can be dealt into one
    /// message per party without copying.
    /// </summary>
    internal void ShareBatch(ReadOnlySpan<T> secrets, int degree, IRandomSource random, Span<T> shares, int partyStride, int offset)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (degree < 0 || degree >= Parties)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"Degree must be in [0, {Parties - 1}] for n = {Parties}.");
        int count = secrets.Length;
        if (offset < 0 || offset + count > partyStride || shares.Length < (Parties - 1) * partyStride + offset + count)
            throw new ArgumentException($"Destination of {shares.Length} elements cannot hold {Parties} vectors of {count} at stride {partyStride}, offset {offset}.", nameof(shares));

        T[] rented = ArrayPool<T>.Shared.Rent(Math.Max(1, degree * count));
        try
        {
            Span<T> coefficients = rented.AsSpan(0, degree * count);
            T.RandomFill(random, coefficients);
            for (int party = 0; party < Parties; party++)
            {
                Span<T> destination = shares.Slice(party * partyStride + offset, count);
                secrets.CopyTo(destination);
                T x = EvaluationPoint(party), power = x;
                for (int k = 0; k < degree; k++)
                {
                    T.ScaleAdd(coefficients.Slice(k * count, count), power, destination);
                    power *= x;
                }
            }
            // The coefficients are secret randomness: clear them before the buffer returns to the pool.
            coefficients.Clear();
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Reconstructs a secret from the shares of the listed parties (at least t + 1, distinct).</summary>
    /// <param name="parties">Party indices (0-based), in the same order as <paramref name="shares"/>.</param>
    /// <param name="shares">The listed parties' shares.</param>
    /// <remarks>Interpolates the polynomial through all given points at x = 0 with cached Lagrange coefficients.</remarks>
    public T Reconstruct(ReadOnlySpan<int> parties, ReadOnlySpan<T> shares)
    {
        if (shares.Length != parties.Length)
            throw new ArgumentException($"{parties.Length} parties listed but {shares.Length} shares given.", nameof(shares));
        ReadOnlySpan<T> lambda = LagrangeCoefficients(parties, -1);
        T secret = T.Zero;
        for (int k = 0; k < lambda.Length; k++) secret += lambda[k] * shares[k];
        return secret;
    }

    /// <summary>Reconstructs a batch of secrets from the vectors of the listed parties.</summary>
    /// <param name="parties">At least t + 1 distinct party indices.</param>
    /// <param name="shares"><c>shares[k]</c> is the share vector of <c>parties[k]</c>; all of length <paramref name="secrets"/>.Length.</param>
    /// <param name="secrets">Destination.</param>
    public void Reconstruct(ReadOnlySpan<int> parties, ReadOnlySpan<ReadOnlyMemory<T>> shares, Span<T> secrets)
    {
        if (shares.Length != parties.Length)
            throw new ArgumentException($"{parties.Length} parties listed but {shares.Length} share vectors given.", nameof(shares));
        CheckVectorLengths(shares, secrets.Length);
        SharingMatrices.Combine<T>(LagrangeCoefficients(parties, -1), shares, secrets);
    }

    /// <summary>Reconstructs from all n shares and verifies that they lie on one polynomial of degree t.</summary>
    /// <param name="shares">All n shares, indexed by party.</param>
    /// <exception cref="InconsistentSharesException">Some share is off the polynomial.</exception>
    public T ReconstructChecked(ReadOnlySpan<T> shares)
    {
        if (shares.Length != Parties)
            throw new ArgumentException($"Checked reconstruction needs all n = {Parties} shares; got {shares.Length}.", nameof(shares));
        var vectors = new ReadOnlyMemory<T>[Parties];
        for (int j = 0; j < Parties; j++) vectors[j] = new[] { shares[j] };
        T secret = default;
        ReconstructChecked(vectors, Threshold, new Span<T>(ref secret));
        return secret;
    }

    /// <summary>Reconstructs a batch from all n share vectors and verifies every element lies on a degree-t polynomial.</summary>
    /// <param name="shares">One vector per party, indexed by party.</param>
    /// <param name="secrets">Destination.</param>
    /// <exception cref="InconsistentSharesException">Some share is off the polynomial.</exception>
    public void ReconstructChecked(ReadOnlySpan<ReadOnlyMemory<T>> shares, Span<T> secrets) =>
        ReconstructChecked(shares, Threshold, secrets);

    /// <summary>Reconstructs a batch from all n share vectors, verifying the given degree (t, or 2t for products).</summary>
    /// <param name="shares">One vector per party, indexed by party.</param>
    /// <param name="degree">Expected degree, 0 ≤ degree &lt; n.</param>
    /// <param name="secrets">Destination.</param>
    /// <remarks>
    /// Interpolates from parties 0..degree, then predicts every other party's share from the same
    /// points (cached Lagrange coefficients at x_j) and compares. The comparison is bytewise, which
    /// is exact because field elements are canonical.
    /// </remarks>
    /// <exception cref="InconsistentSharesException">Some share is off the polynomial.</exception>
    public void ReconstructChecked(ReadOnlySpan<ReadOnlyMemory<T>> shares, int degree, Span<T> secrets)
    {
        if (shares.Length != Parties)
            throw new ArgumentException($"Checked reconstruction needs all n = {Parties} share vectors; got {shares.Length}.", nameof(shares));
        if (degree < 0 || degree >= Parties)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"Degree must be in [0, {Parties - 1}].");
        CheckVectorLengths(shares, secrets.Length);

        Span<int> basis = degree < 64 ? stackalloc int[degree + 1] : new int[degree + 1];
        for (int k = 0; k <= degree; k++) basis[k] = k;
        ReadOnlySpan<ReadOnlyMemory<T>> basisShares = shares[..(degree + 1)];
        SharingMatrices.Combine<T>(LagrangeCoefficients(basis, -1), basisShares, secrets);
        if (degree + 1 == Parties) return;

        int count = secrets.Length;
        T[] rented = ArrayPool<T>.Shared.Rent(Math.Max(1, count));
        try
        {
            Span<T> predicted = rented.AsSpan(0, count);
            for (int j = degree + 1; j < Parties; j++)
            {
                SharingMatrices.Combine<T>(LagrangeCoefficients(basis, j), basisShares, predicted);
                ReadOnlySpan<T> actual = shares[j].Span;
                if (!MemoryMarshal.AsBytes(predicted).SequenceEqual(MemoryMarshal.AsBytes(actual)))
                    throw new InconsistentSharesException(j, FirstDifference(predicted, actual), degree);
            }
            predicted.Clear();
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Lagrange coefficients for interpolating from the listed parties' points to x = 0 (the secret).
    /// Cached per subset; the returned span must not be modified.
    /// </summary>
    /// <param name="parties">At least t + 1 distinct party indices in [0, n).</param>
    public ReadOnlySpan<T> LagrangeCoefficients(ReadOnlySpan<int> parties) => LagrangeCoefficients(parties, -1);

    /// <summary>Coefficients λ_k with f(x_target) = Σ λ_k f(x_{parties[k]}); target −1 means x = 0.</summary>
    internal ReadOnlySpan<T> LagrangeCoefficients(ReadOnlySpan<int> parties, int targetParty)
    {
        if (parties.Length < Threshold + 1)
            throw new ArgumentException($"Reconstruction needs at least t + 1 = {Threshold + 1} shares; got {parties.Length}.", nameof(parties));
        // A hit is looked up by the span itself (no key is built: openings come here every round); a miss
        // validates the list, copies it into a key and computes the coefficients, once per subset.
        if (_lagrangeBySpan.TryGetValue(new SubsetProbe(parties, targetParty), out T[]? cached)) return cached;
        return _lagrange.GetOrAdd(new SubsetKey(parties, Parties, targetParty), ComputeLagrange(parties.ToArray(), targetParty));
    }

    private static T[] ComputeLagrange(int[] parties, int targetParty)
    {
        var points = new T[parties.Length];
        for (int k = 0; k < points.Length; k++) points[k] = EvaluationPoint(parties[k]);
        var lambda = new T[parties.Length];
        LagrangeWeights(points, targetParty < 0 ? T.Zero : EvaluationPoint(targetParty), lambda);
        return lambda;
    }

    /// <summary>
    /// λ_k(target) = Π_{m≠k} (target − x_m) / (x_k − x_m) for distinct <paramref name="points"/> x: Σ λ_k·f(x_k) = f(target)
    /// for every polynomial f of degree below points.Length. One inversion per weight; callers cache the results.
    /// </summary>
    internal static void LagrangeWeights(ReadOnlySpan<T> points, T target, Span<T> destination)
    {
        for (int k = 0; k < points.Length; k++)
        {
            T numerator = T.One, denominator = T.One;
            for (int m = 0; m < points.Length; m++)
            {
                if (m == k) continue;
                numerator *= target - points[m];
                denominator *= points[k] - points[m];
            }
            destination[k] = numerator * denominator.Inverse();
        }
    }

    private static void CheckVectorLengths(ReadOnlySpan<ReadOnlyMemory<T>> shares, int count)
    {
        for (int k = 0; k < shares.Length; k++)
            if (shares[k].Length != count)
                throw new ArgumentException($"Share vector {k} has {shares[k].Length} elements; {count} expected.", nameof(shares));
    }

    private static int FirstDifference(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
    {
        // Only reached once the batch is known to be inconsistent (a public abort), to name the element.
        for (int i = 0; i < x.Length; i++)
            if (!x[i].Equals(y[i])) return i;
        return -1;
    }

    /// <summary>An ordered list of parties plus the interpolation target; validates the list on construction.</summary>
    private sealed class SubsetKey
    {
        public SubsetKey(ReadOnlySpan<int> parties, int n, int target)
        {
            Span<ulong> seen = n <= 1024 ? stackalloc ulong[(n + 63) / 64] : new ulong[(n + 63) / 64];
            seen.Clear();
            foreach (int p in parties)
            {
                if ((uint)p >= (uint)n)
                    throw new ArgumentOutOfRangeException(nameof(parties), p, $"Party index must be in [0, {n}).");
                ulong bit = 1UL << (p & 63);
                if ((seen[p >> 6] & bit) != 0)
                    throw new ArgumentException($"Party {p} is listed twice.", nameof(parties));
                seen[p >> 6] |= bit;
            }
            Order = parties.ToArray();
            Target = target;
            Hash = HashOf(parties, target);
        }

        public int[] Order { get; }

        public int Target { get; }

        public int Hash { get; }

        /// <summary>Order matters: coefficients come back in the listed order.</summary>
        public static int HashOf(ReadOnlySpan<int> parties, int target)
        {
            var hash = new HashCode();
            hash.Add(target);
            foreach (int p in parties) hash.Add(p);
            return hash.ToHashCode();
        }
    }

    /// <summary>A lookup key over the caller's span, for cache hits without a copy.</summary>
    private readonly ref struct SubsetProbe(ReadOnlySpan<int> parties, int target)
    {
        public ReadOnlySpan<int> Parties { get; } = parties;

        public int Target { get; } = target;
    }

    /// <summary>Compares keys with each other and with probes; hashes both the same way.</summary>
    private sealed class SubsetComparer : IEqualityComparer<SubsetKey>, IAlternateEqualityComparer<SubsetProbe, SubsetKey>
    {
        public static readonly SubsetComparer Instance = new();

        public bool Equals(SubsetKey? x, SubsetKey? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.Target == y.Target && x.Order.AsSpan().SequenceEqual(y.Order));

        public int GetHashCode(SubsetKey key) => key.Hash;

        public bool Equals(SubsetProbe probe, SubsetKey key) => probe.Target == key.Target && probe.Parties.SequenceEqual(key.Order);

        public int GetHashCode(SubsetProbe probe) => SubsetKey.HashOf(probe.Parties, probe.Target);

        // Only lookups go through probes; insertions build a validated SubsetKey themselves.
        public SubsetKey Create(SubsetProbe probe) => throw new NotSupportedException("Subsets are added through SubsetKey, which validates them.");
    }
}
