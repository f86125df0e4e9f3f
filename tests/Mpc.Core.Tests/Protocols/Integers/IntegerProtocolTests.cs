using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Protocols.Integers;
using Mpc.Core.Sharing;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Protocols.Integers;

/// <summary>Every Catrina–de Hoogh protocol of <see cref="IntegerProtocols{T}"/> against plaintext, on n parties in memory.</summary>
public class IntegerProtocolTests
{
    private static int Threshold(int n) => (n - 1) / 2;

    /// <summary>0, ±1, ±2, max, min and their neighbours for k-bit signed values.</summary>
    private static long[] Boundaries(int bits)
    {
        long max = (long)((BigInteger.One << (bits - 1)) - 1), min = -max - 1;
        return [0, 1, -1, 2, -2, max, min, max - 1, min + 1];
    }

    public static TheoryData<int, int> Fp127Cases() => new() { { 3, 32 }, { 5, 32 }, { 3, 64 }, { 5, 64 } };

    public static TheoryData<int, int, int> Fp61Cases() => new() { { 3, 16, 40 }, { 5, 16, 40 }, { 3, 32, 20 }, { 5, 32, 20 } };

    [Theory]
    [MemberData(nameof(Fp127Cases))]
    public Task EveryProtocolMatchesPlaintextOnBoundaryPairsInFp127(int n, int bits) =>
        AssertAllProtocolsAsync<Fp127>(n, bits, SignedEncoding.DefaultStatisticalSecurity, AllPairs(Boundaries(bits)));

    [Theory]
    [MemberData(nameof(Fp61Cases))]
    public Task EveryProtocolMatchesPlaintextOnBoundaryPairsInFp61(int n, int bits, int security) =>
        AssertAllProtocolsAsync<Fp61>(n, bits, security, AllPairs(Boundaries(bits)));

    private static readonly Arbitrary<(long, long)[]> Int32Pairs = Gen.ArrayOf(
            Gen.Frequency(
                (3, Gen.Choose(int.MinValue, int.MaxValue).Select(v => (long)v)),
                (1, Gen.Elements(Boundaries(32)))).Two()
            .Select(t => (t.Item1, t.Item2)))
        .Where(a => a.Length > 0)
        .ToArbitrary();

    [Property(MaxTest = 6)]
    public Property RandomInt32BatchesMatchPlaintext() => Prop.ForAll(Int32Pairs, pairs =>
        AssertAllProtocolsAsync<Fp127>(3, 32, SignedEncoding.DefaultStatisticalSecurity, pairs).GetAwaiter().GetResult());

    /// <summary>Shares the pairs, runs every protocol in one cluster run and checks each result against plaintext.</summary>
    private static async Task AssertAllProtocolsAsync<T>(int n, int bits, int security, (long X, long Y)[] pairs) where T : struct, IField<T>
    {
        int t = Threshold(n), count = pairs.Length, shift = bits / 2;
        T[][] xs = Share<T>(n, t, pairs.Select(p => p.X).ToArray(), seed: 11);
        T[][] ys = Share<T>(n, t, pairs.Select(p => p.Y).ToArray(), seed: 12);

        T[][][] results = await Cluster.RunAsync<T, T[][]>(n, t, async c =>
        {
            var integers = new IntegerProtocols<T>(c, security);
            T[] x = xs[c.Party], y = ys[c.Party];
            T[] less = await integers.LessThanAsync(x, y, bits);
            return
            [
                less,
                await integers.LessOrEqualAsync(x, y, bits),
                await integers.EqualAsync(x, y, bits),
                await integers.LessThanZeroAsync(x, bits),
                await integers.EqualZeroAsync(x, bits),
                await integers.Mod2mAsync(x, bits, shift),
                await integers.TruncAsync(x, bits, shift),
                await integers.TruncAsync(x, bits, bits - 1),
                await integers.TruncPrAsync(x, bits, shift),
                await integers.SelectAsync(less, x, y),
            ];
        });

        BigInteger[] Result(int which) => Cluster.Open(t, results.Select(r => r[which]).ToArray()).Select(FieldIntegers.ToSigned).ToArray();
        BigInteger[] lt = Result(0), le = Result(1), eq = Result(2), ltz = Result(3), eqz = Result(4), mod = Result(5),
            trunc = Result(6), truncTop = Result(7), truncPr = Result(8), select = Result(9);
        BigInteger divisor = BigInteger.One << shift;
        for (int i = 0; i < count; i++)
        {
            (long x, long y) = pairs[i];
            string at = $"x = {x}, y = {y} (k = {bits}, n = {n}, {T.Name})";
            Assert.True(Bit(x < y) == lt[i], $"LessThan {at}");
            Assert.True(Bit(x <= y) == le[i], $"LessOrEqual {at}");
            Assert.True(Bit(x == y) == eq[i], $"Equal {at}");
            Assert.True(Bit(x < 0) == ltz[i], $"LessThanZero {at}");
            Assert.True(Bit(x == 0) == eqz[i], $"EqualZero {at}");
            BigInteger floor = FloorDivide(x, divisor);
            Assert.True(x - floor * divisor == mod[i], $"Mod2m {at}: {mod[i]}");
            Assert.True(floor == trunc[i], $"Trunc {at}: {trunc[i]}");
            Assert.True(FloorDivide(x, BigInteger.One << (bits - 1)) == truncTop[i], $"Trunc by 2^(k-1) {at}: {truncTop[i]}");
            Assert.True(truncPr[i] == floor || truncPr[i] == floor + 1, $"TruncPr {at}: {truncPr[i]}, floor {floor}");
            Assert.True((x < y ? x : y) == select[i], $"Select {at}");
        }
    }

    [Fact]
    public async Task ABatchGivesTheSameComparisonsAsOneByOne()
    {
        const int n = 3, t = 1, bits = 32;
        long[] values = [.. Boundaries(bits), 12345, -12345, 1 << 20, -(1 << 20), 7, 7, -7];
        long[] others = values.Reverse().ToArray();
        Fp127[][] xs = Share<Fp127>(n, t, values, seed: 3), ys = Share<Fp127>(n, t, others, seed: 4);

        Fp127[][][] results = await Cluster.RunAsync<Fp127, Fp127[][]>(n, t, async c =>
        {
            var integers = new IntegerProtocols<Fp127>(c);
            Fp127[] batched = await integers.LessThanAsync(xs[c.Party], ys[c.Party], bits);
            var single = new Fp127[values.Length];
            for (int i = 0; i < values.Length; i++)
                single[i] = (await integers.LessThanAsync(xs[c.Party].AsMemory(i, 1), ys[c.Party].AsMemory(i, 1), bits))[0];
            return [batched, single];
        });

        Fp127[] batchedOpen = Cluster.Open(t, results.Select(r => r[0]).ToArray());
        Fp127[] singleOpen = Cluster.Open(t, results.Select(r => r[1]).ToArray());
        Assert.Equal(singleOpen, batchedOpen);
        for (int i = 0; i < values.Length; i++) Assert.Equal(Bit(values[i] < others[i]), FieldIntegers.ToSigned(batchedOpen[i]));
    }

    public static TheoryData<IntegerOperation, int> RoundCases()
    {
        var data = new TheoryData<IntegerOperation, int>();
        foreach (IntegerOperation op in Enum.GetValues<IntegerOperation>())
            foreach (int bits in new[] { 32, 64 })
                data.Add(op, bits);
        return data;
    }

    /// <summary>The online phase uses exactly <see cref="IntegerProtocols{T}.OnlineRounds"/> exchanges (one tag each), whatever the batch size.</summary>
    [Theory]
    [MemberData(nameof(RoundCases))]
    public async Task OnlineRoundsAreAsDocumented(IntegerOperation operation, int bits)
    {
        const int n = 3, t = 1, count = 5;
        int shift = bits / 2;
        Fp127[][] xs = Share<Fp127>(n, t, [3, -4, 0, 17, -1], seed: 5);
        int[][] observed = await Cluster.RunAsync<Fp127, int[]>(n, t, async c =>
        {
            var integers = new IntegerProtocols<Fp127>(c);
            IntegerPreprocessing<Fp127> pre = await integers.PrepareAsync(operation, count, bits, shift);
            ulong before = c.NextTag().Sequence;
            ReadOnlyMemory<Fp127> x = xs[c.Party], y = xs[(c.Party + 1) % n];
            _ = operation switch
            {
                IntegerOperation.Mod2m => await integers.Mod2mAsync(x, bits, shift, pre),
                IntegerOperation.Trunc => await integers.TruncAsync(x, bits, shift, pre),
                IntegerOperation.TruncPr => await integers.TruncPrAsync(x, bits, shift, pre),
                IntegerOperation.LessThanZero => await integers.LessThanZeroAsync(x, bits, pre),
                IntegerOperation.LessThan => await integers.LessThanAsync(x, x, bits, pre),
                IntegerOperation.LessOrEqual => await integers.LessOrEqualAsync(x, x, bits, pre),
                IntegerOperation.EqualZero => await integers.EqualZeroAsync(x, bits, pre),
                _ => await integers.EqualAsync(x, x, bits, pre),
            };
            return new[] { (int)(c.NextTag().Sequence - before - 1), integers.OnlineRounds(operation, bits, shift) };
        }, OpeningMode.AllToAll);

        Assert.All(observed, o => Assert.Equal(o[1], o[0]));
        int expected = operation switch
        {
            IntegerOperation.TruncPr => 1,
            // 1 + ⌈log2 ⌈m/2⌉⌉: the first carry/AND layer is local (preprocessed products of adjacent mask bits).
            IntegerOperation.Equal => bits == 32 ? 6 : 7,
            IntegerOperation.Mod2m or IntegerOperation.Trunc => bits == 32 ? 4 : 5, // m = k/2
            _ => bits == 32 ? 5 : 6,
        };
        Assert.Equal(expected, observed[0][0]);
    }

    public static TheoryData<string, int, int> RefusedCases() => new()
    {
        { "Fp61", 32, 40 },   // 73 ≥ 61
        { "Fp61", 20, 40 },   // 61: not < 61
        { "Fp127", 86, 40 },  // 127
        { "Fp127", 64, 62 },  // 127
    };

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task RefusedParametersThrowNamingKKappaAndField(string field, int bits, int security)
    {
        InMemoryTransport[] transports = InMemoryNetwork.Create(3);
        try
        {
            ArgumentException error = field == "Fp61"
                ? await Assert.ThrowsAnyAsync<ArgumentException>(() => RefuseAsync<Fp61>(transports[0], bits, security))
                : await Assert.ThrowsAnyAsync<ArgumentException>(() => RefuseAsync<Fp127>(transports[0], bits, security));
            Assert.Contains($"k = {bits}", error.Message);
            Assert.Contains($"κ = {security}", error.Message);
            Assert.Contains(field, error.Message);
        }
        finally
        {
            foreach (var transport in transports) await transport.DisposeAsync();
        }
    }

    private static async Task RefuseAsync<T>(InMemoryTransport transport, int bits, int security) where T : struct, IField<T>
    {
        var integers = new IntegerProtocols<T>(new ProtocolContext<T>(transport, 1), security);
        T[] values = new T[4];
        await integers.EqualZeroAsync(values, bits); // must throw before any message is sent (no peer is running)
    }

    [Fact]
    public async Task ComparisonNeedsOneMoreBitThanItsOperands()
    {
        InMemoryTransport[] transports = InMemoryNetwork.Create(3);
        try
        {
            var integers = new IntegerProtocols<Fp127>(new ProtocolContext<Fp127>(transports[0], 1));
            Assert.Equal(7, integers.OnlineRounds(IntegerOperation.LessThanZero, 85)); // 85 + 40 + 1 = 126 < 127; 1 + ⌈log2 ⌈84/2⌉⌉
            Assert.Throws<ArgumentException>(() => integers.OnlineRounds(IntegerOperation.LessThan, 85)); // x − y needs 86 bits
            Assert.Throws<ArgumentOutOfRangeException>(() => integers.OnlineRounds(IntegerOperation.Trunc, 32, 32));
            Assert.Throws<ArgumentOutOfRangeException>(() => integers.OnlineRounds(IntegerOperation.Trunc, 32, 0));
        }
        finally
        {
            foreach (var transport in transports) await transport.DisposeAsync();
        }
    }

    [Fact]
    public async Task PreprocessingForAnotherCallIsRefused()
    {
        const int n = 3, t = 1;
        Fp127[][] xs = Share<Fp127>(n, t, [1, 2], seed: 9);
        bool[] refused = await Cluster.RunAsync<Fp127, bool>(n, t, async c =>
        {
            var integers = new IntegerProtocols<Fp127>(c);
            IntegerPreprocessing<Fp127> pre = await integers.PrepareAsync(IntegerOperation.LessThanZero, 2, 32);
            try
            {
                await integers.LessThanZeroAsync(xs[c.Party], 16, pre);
                return false;
            }
            catch (ArgumentException e)
            {
                return e.Message.Contains("k = 32") && e.Message.Contains("k = 16");
            }
        });
        Assert.All(refused, Assert.True);
    }

    /// <summary>TruncPr rounds up with probability (a mod 2^m)/2^m: for a mod 2^m = 2^(m−1) both results must occur.</summary>
    [Fact]
    public async Task TruncPrRoundsUpAboutHalfTheTimeAtOneHalf()
    {
        const int n = 3, t = 1, bits = 32, shift = 8, count = 400;
        long value = -(5L << shift) + (1L << (shift - 1)); // −4.5 · 2^8: floor −5, round-up −4
        Fp127[][] xs = Share<Fp127>(n, t, Enumerable.Repeat(value, count).ToArray(), seed: 21);
        Fp127[][] shares = await Cluster.RunAsync<Fp127, Fp127[]>(n, t, c => new IntegerProtocols<Fp127>(c).TruncPrAsync(xs[c.Party], bits, shift).AsTask());

        BigInteger[] results = Cluster.Open(t, shares).Select(FieldIntegers.ToSigned).ToArray();
        int up = results.Count(r => r == -4);
        Assert.Equal(count, up + results.Count(r => r == -5));
        Assert.InRange(up, count / 4, 3 * count / 4); // Binomial(400, ½): outside [100, 300] has probability < 2^−60
    }

    [Property(MaxTest = 200)]
    public bool SignedEncodingRoundTrips(long value)
    {
        long small = value >> 4; // |small| < 2^59 ≤ (p − 1)/2 of Fp61, the range FromSigned accepts
        return FieldIntegers.ToSigned(FieldIntegers.FromSigned<Fp127>(value, "value")) == value
            && FieldIntegers.ToSigned(FieldIntegers.FromSigned<Fp61>(small, "value")) == small;
    }

    private static BigInteger Bit(bool b) => b ? BigInteger.One : BigInteger.Zero;

    private static BigInteger FloorDivide(BigInteger x, BigInteger d) => BigInteger.DivRem(x, d, out BigInteger r) - (r < 0 ? 1 : 0);

    private static (long, long)[] AllPairs(long[] values) => values.SelectMany(x => values.Select(y => (x, y))).ToArray();

    /// <summary>Deals Shamir shares of signed values; returns each party's vector.</summary>
    private static T[][] Share<T>(int n, int t, long[] values, int seed) where T : struct, IField<T>
    {
        var scheme = new ShamirScheme<T>(n, t);
        T[] secrets = values.Select(v => FieldIntegers.FromSigned<T>(v, "value")).ToArray();
        var shares = new T[n * values.Length];
        scheme.ShareBatch(secrets, new SeededRandom(seed), shares);
        return Enumerable.Range(0, n).Select(j => shares.AsSpan(j * values.Length, values.Length).ToArray()).ToArray();
    }
}
