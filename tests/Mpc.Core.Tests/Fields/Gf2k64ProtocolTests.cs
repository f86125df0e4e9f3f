using Mpc.Core.Fields;
using Mpc.Core.Protocols;
using Mpc.Core.Sharing;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Fields;

/// <summary>The field-generic sharing and protocol code run in characteristic 2 (<see cref="Gf2k64"/>).</summary>
public class Gf2k64ProtocolTests
{
    public static TheoryData<int> PartyCounts => new() { 3, 5, 7 };

    private static int T(int n) => (n - 1) / 2;

    [Fact]
    public void EvaluationPointsAreDistinctAndNonZero()
    {
        var points = Enumerable.Range(0, 64).Select(ShamirScheme<Gf2k64>.EvaluationPoint).ToList();
        Assert.DoesNotContain(Gf2k64.Zero, points);
        Assert.Equal(points.Count, points.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(PartyCounts))]
    public void ShareThenReconstructFromAnyTPlusOneParties(int n)
    {
        int t = T(n);
        var scheme = new ShamirScheme<Gf2k64>(n, t);
        var random = new SeededRandom(n);
        Gf2k64 secret = Gf2k64.Random(random);
        Gf2k64[] shares = scheme.Share(secret, random);
        Assert.Equal(secret, scheme.ReconstructChecked(shares));
        foreach (int[] subset in Sharing.ShamirSchemeTests.Subsets(n, t + 1))
            Assert.Equal(secret, scheme.Reconstruct(subset, subset.Select(i => shares[i]).ToArray()));
        shares[0] += Gf2k64.One;
        Assert.Throws<InconsistentSharesException>(() => scheme.ReconstructChecked(shares));
    }

    [Fact]
    public void VandermondeColumnsArePowersOfDistinctPoints()
    {
        // det = Π (x_j − x_i) over any chosen columns, non-zero because the points c + 1 are distinct:
        // so every (n − t)-column square submatrix is invertible in characteristic 2 as well.
        Gf2k64[] m = SharingMatrices.Vandermonde<Gf2k64>(4, 7);
        for (int c = 0; c < 7; c++)
        {
            Gf2k64 x = Gf2k64.FromUInt64((ulong)c + 1);
            Assert.Equal(Gf2k64.One, m[c]);
            for (int r = 1; r < 4; r++) Assert.Equal(m[(r - 1) * 7 + c] * x, m[r * 7 + c]);
        }
    }

    [Fact]
    public void HyperInvertibleMatrixMapsPolynomialValuesToNewPoints()
    {
        const int size = 4;
        Gf2k64[] m = SharingMatrices.HyperInvertible<Gf2k64>(size);
        Gf2k64[] coefficients = [Gf2k64.FromUInt64(0x1234), Gf2k64.FromUInt64(99), Gf2k64.FromUInt64(1UL << 63), Gf2k64.One];
        Gf2k64 F(ulong point)
        {
            Gf2k64 x = Gf2k64.FromUInt64(point), acc = Gf2k64.Zero;
            for (int k = coefficients.Length - 1; k >= 0; k--) acc = acc * x + coefficients[k];
            return acc;
        }
        for (int r = 0; r < size; r++)
        {
            Gf2k64 sum = Gf2k64.Zero;
            for (int c = 0; c < size; c++) sum += m[r * size + c] * F((ulong)c + 1);
            Assert.Equal(F((ulong)(size + r + 1)), sum);
        }
    }

    [Theory]
    [MemberData(nameof(PartyCounts))]
    public async Task TriplesAndBeaverProductsAreCorrect(int n)
    {
        int t = T(n), count = 64;
        var random = new SeededRandom(n);
        var x = new Gf2k64[count];
        var y = new Gf2k64[count];
        Gf2k64.RandomFill(random, x);
        Gf2k64.RandomFill(random, y);
        for (int i = 0; i < 8; i++) { x[i] = Gf2k64.FromUInt64((ulong)i & 1); y[i] = Gf2k64.FromUInt64((ulong)i >> 1 & 1); }

        var results = await Cluster.RunAsync<Gf2k64, (Gf2k64[] Product, Gf2k64[] A, Gf2k64[] B, Gf2k64[] C)>(n, t, async c =>
        {
            TripleBatch<Gf2k64> triples = await new Dn07TripleSource<Gf2k64>(c).GenerateAsync(count);
            var counts = new int[n];
            counts[0] = count;
            counts[n - 1] = count;
            Gf2k64[][] inputs = await new ShamirInput<Gf2k64>(c).InputAsync(counts, c.Party == 0 ? x : c.Party == n - 1 ? y : default);
            var (a, b, cc) = (triples.A.ToArray(), triples.B.ToArray(), triples.C.ToArray());
            Gf2k64[] z = await new BeaverMultiplier<Gf2k64>(c).MultiplyAsync(inputs[0], inputs[n - 1], triples);
            Gf2k64[] opened = await new Opener<Gf2k64>(c).OpenAsync(z);
            return (opened, a, b, cc);
        });

        Gf2k64[] ta = Cluster.Open(t, results.Select(r => r.A).ToArray()), tb = Cluster.Open(t, results.Select(r => r.B).ToArray());
        Gf2k64[] tc = Cluster.Open(t, results.Select(r => r.C).ToArray());
        for (int i = 0; i < count; i++) Assert.Equal(ta[i] * tb[i], tc[i]);
        Assert.Equal(count, ta.Distinct().Count());
        Assert.All(results, r => Assert.Equal(x.Zip(y, (a, b) => a * b), r.Product));
    }

    [Theory]
    [MemberData(nameof(PartyCounts))]
    public async Task RandomSharingsAreConsistentAndDistinct(int n)
    {
        Gf2k64[][] shares = await Cluster.RunAsync<Gf2k64, Gf2k64[]>(n, T(n), c => new RandomSharingSource<Gf2k64>(c).GenerateAsync(101).AsTask());
        Gf2k64[] values = Cluster.Open(T(n), shares);
        Assert.Equal(101, values.Distinct().Count());
    }

    [Fact]
    public async Task RandomBitsByTheSquareRootTrickAreRefused()
    {
        var e = await Assert.ThrowsAsync<NotSupportedException>(() =>
            Cluster.RunAsync<Gf2k64, Gf2k64[]>(3, 1, c => new RandomBitSource<Gf2k64>(c).GenerateAsync(4).AsTask()));
        Assert.Contains("characteristic 2", e.Message);
    }
}
