using FsCheck;
using FsCheck.Xunit;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;
using System.Runtime.CompilerServices;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Sharing;

public class ShamirSchemeTests
{
    public static TheoryData<int, int> AllSchemesUpTo11()
    {
        var data = new TheoryData<int, int>();
        for (int n = 1; n <= 11; n++)
            for (int t = 0; 2 * t + 1 <= n; t++) data.Add(n, t);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllSchemesUpTo11))]
    public void EveryTPlusOneSubsetReconstructsTheSecret(int n, int t)
    {
        var scheme = new ShamirScheme<Fp61>(n, t);
        var random = new SeededRandom(n * 31 + t);
        var secret = Fp61.Random(random);
        Fp61[] shares = scheme.Share(secret, random);

        foreach (int[] subset in Subsets(n, t + 1))
        {
            var picked = Array.ConvertAll(subset, p => shares[p]);
            Assert.Equal(secret, scheme.Reconstruct(subset, picked));
        }
        Assert.Equal(secret, scheme.ReconstructChecked(shares));
    }

    [Property(MaxTest = 200)]
    public void BatchShareThenReconstructFromARandomSubset(ulong[] secretsRaw, byte nRaw, byte tRaw, int seed)
    {
        int n = 1 + nRaw % 11, t = tRaw % ((n + 1) / 2);
        var scheme = new ShamirScheme<Fp61>(n, t);
        var secrets = Array.ConvertAll(secretsRaw ?? [], Fp61.FromUInt64);
        var shares = new Fp61[n * secrets.Length];
        scheme.ShareBatch(secrets, new SeededRandom(seed), shares);

        var rng = new Random(seed);
        int[] subset = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(t + 1 + rng.Next(n - t)).ToArray();
        var vectors = Array.ConvertAll(subset, p => (ReadOnlyMemory<Fp61>)shares.AsMemory(p * secrets.Length, secrets.Length));
        var opened = new Fp61[secrets.Length];
        scheme.Reconstruct(subset, vectors, opened);
        Assert.Equal(secrets, opened);

        var all = Enumerable.Range(0, n).Select(p => (ReadOnlyMemory<Fp61>)shares.AsMemory(p * secrets.Length, secrets.Length)).ToArray();
        var checkedOpen = new Fp61[secrets.Length];
        scheme.ReconstructChecked(all, checkedOpen);
        Assert.Equal(secrets, checkedOpen);
    }

    [Property(MaxTest = 200)]
    public void ReconstructCheckedDetectsOneAlteredShare(byte nRaw, byte tRaw, byte partyRaw, ulong deltaRaw, int seed, PositiveInt countRaw)
    {
        int n = 2 + nRaw % 10, t = tRaw % ((n + 1) / 2), party = partyRaw % n, count = 1 + countRaw.Get % 20;
        var delta = Fp61.FromUInt64(deltaRaw);
        if (delta == Fp61.Zero) delta = Fp61.One;
        var scheme = new ShamirScheme<Fp61>(n, t);
        var random = new SeededRandom(seed);
        var secrets = new Fp61[count];
        Fp61.RandomFill(random, secrets);
        var shares = new Fp61[n * count];
        scheme.ShareBatch(secrets, random, shares);
        int element = (seed & int.MaxValue) % count;
        shares[party * count + element] += delta;

        var vectors = Enumerable.Range(0, n).Select(p => (ReadOnlyMemory<Fp61>)shares.AsMemory(p * count, count)).ToArray();
        var error = Assert.Throws<InconsistentSharesException>(() => scheme.ReconstructChecked(vectors, new Fp61[count]));
        Assert.Equal(element, error.Index);
        if (party > t) Assert.Equal(party, error.Party); // an altered basis share shows up at the first checked party instead
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public void AnyTSharesAreIdenticallyDistributedForEverySecret(int n, int t)
    {
        // Exhaustive over GF(31): for each secret, enumerate every degree-t polynomial (by scripting the
        // coefficients the scheme draws) and histogram the shares of every t-subset of parties.
        var scheme = new ShamirScheme<Fp31>(n, t);
        int[][] subsets = Subsets(n, t).ToArray();
        int polynomials = (int)Math.Pow(31, t);
        Dictionary<string, int>[]? reference = null;

        for (uint s = 0; s < 31; s++)
        {
            var histograms = subsets.Select(_ => new Dictionary<string, int>()).ToArray();
            for (int poly = 0; poly < polynomials; poly++)
            {
                var coefficients = new byte[t];
                for (int k = 0, rest = poly; k < t; k++, rest /= 31) coefficients[k] = (byte)(rest % 31);
                Fp31[] shares = scheme.Share(Fp31.FromUInt64(s), new ScriptedRandom(coefficients));
                for (int q = 0; q < subsets.Length; q++)
                {
                    string view = string.Join(",", subsets[q].Select(p => shares[p].Value));
                    histograms[q][view] = histograms[q].GetValueOrDefault(view) + 1;
                }
            }
            // Uniform: every t-tuple of share values occurs exactly once.
            foreach (var h in histograms)
            {
                Assert.Equal(polynomials, h.Count);
                Assert.All(h.Values, c => Assert.Equal(1, c));
            }
            reference ??= histograms;
            for (int q = 0; q < subsets.Length; q++) Assert.Equal(reference[q], histograms[q]);
        }
    }

    [Fact]
    public void ThePrivacyEnumerationWouldSeeALeak()
    {
        // The enumeration above must be able to fail: t + 1 shares do determine the secret.
        var scheme = new ShamirScheme<Fp31>(3, 1);
        var views = new HashSet<string>();
        for (uint s = 0; s < 2; s++)
            for (byte c = 0; c < 31; c++)
            {
                Fp31[] shares = scheme.Share(Fp31.FromUInt64(s), new ScriptedRandom([c]));
                views.Add($"{shares[0].Value},{shares[1].Value}");
            }
        Assert.Equal(62, views.Count); // no pair of shares is shared by secrets 0 and 1
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(0, 0)]
    [InlineData(3, -1)]
    public void RejectsSchemesWithoutHonestMajority(int n, int t)
    {
        var error = Assert.Throws<ArgumentException>(() => new ShamirScheme<Fp61>(n, t));
        Assert.Contains(t < 0 ? "non-negative" : "2t + 1", error.Message);
    }

    [Fact]
    public void RejectsTooFewOrDuplicateParties()
    {
        var scheme = new ShamirScheme<Fp61>(5, 2);
        Assert.Contains("at least t + 1", Assert.Throws<ArgumentException>(() => scheme.Reconstruct([0, 1], new Fp61[2])).Message);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => scheme.Reconstruct([0, 1, 1], new Fp61[3])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => scheme.Reconstruct([0, 1, 5], new Fp61[3]));
    }

    [Fact]
    public void LagrangeCoefficientsAreCachedPerSubset()
    {
        var scheme = new ShamirScheme<Fp61>(5, 2);
        ReadOnlySpan<Fp61> first = scheme.LagrangeCoefficients([4, 0, 2]);
        ReadOnlySpan<Fp61> second = scheme.LagrangeCoefficients([4, 0, 2]);
        Assert.True(Unsafe.AreSame(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(first),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(second)));
        // Coefficients for x = 0 sum to 1 (they interpolate the constant polynomial 1).
        Fp61 sum = Fp61.Zero;
        foreach (var l in first) sum += l;
        Assert.Equal(Fp61.One, sum);
        // Order matters: the same parties listed differently are another entry, coefficients in that order.
        ReadOnlySpan<Fp61> reordered = scheme.LagrangeCoefficients([0, 2, 4]);
        Assert.Equal([first[1], first[2], first[0]], reordered.ToArray());
    }

    [Fact]
    public void CachedLookupsAndCheckedReconstructionAllocateNothing()
    {
        var scheme = new ShamirScheme<Fp61>(7, 2);
        var random = new SeededRandom(11);
        var secrets = new Fp61[64];
        Fp61.RandomFill(random, secrets);
        var shares = new Fp61[7 * 64];
        scheme.ShareBatch(secrets, random, shares);
        var vectors = Enumerable.Range(0, 7).Select(p => (ReadOnlyMemory<Fp61>)shares.AsMemory(p * 64, 64)).ToArray();
        var opened = new Fp61[64];
        int[] subset = [3, 5, 6];
        scheme.ReconstructChecked(vectors, opened); // first use: fills the caches and the array pool
        scheme.LagrangeCoefficients(subset);

        long before = GC.GetAllocatedBytesForCurrentThread();
        scheme.ReconstructChecked(vectors, opened);
        scheme.LagrangeCoefficients(subset);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(secrets, opened);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void SharesAtDegreeTwoTAreNotDegreeT()
    {
        var scheme = new ShamirScheme<Fp61>(5, 2);
        var random = new SeededRandom(3);
        var secrets = new Fp61[16];
        Fp61.RandomFill(random, secrets);
        var shares = new Fp61[5 * 16];
        scheme.ShareBatch(secrets, 4, random, shares);
        var vectors = Enumerable.Range(0, 5).Select(p => (ReadOnlyMemory<Fp61>)shares.AsMemory(p * 16, 16)).ToArray();
        var opened = new Fp61[16];
        scheme.ReconstructChecked(vectors, 4, opened);
        Assert.Equal(secrets, opened);
        Assert.Throws<InconsistentSharesException>(() => scheme.ReconstructChecked(vectors, opened));
    }

    internal static IEnumerable<int[]> Subsets(int n, int k)
    {
        var current = new int[k];
        IEnumerable<int[]> Recurse(int start, int depth)
        {
            if (depth == k) { yield return (int[])current.Clone(); yield break; }
            for (int p = start; p < n; p++)
            {
                current[depth] = p;
                foreach (var s in Recurse(p + 1, depth + 1)) yield return s;
            }
        }
        return Recurse(0, 0);
    }
}
