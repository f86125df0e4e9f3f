using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Sharing;
using Mpc.Core.Tests.Support;

namespace Mpc.Core.Tests.Protocols;

/// <summary>
/// Openings of dealt sharings of any degree on up to 7 parties: the values every party gets, and who sends how much to
/// whom (per party, through <see cref="MeteredTransport"/> and a recorder of each message's receiver).
/// </summary>
public class OpeningTests
{
    /// <summary>One opening scenario: n parties, threshold t, sharings of the given degree, count values.</summary>
    public readonly record struct Scenario(int Parties, int Threshold, int Degree, int Count, int Seed)
    {
        /// <summary>The number of shares a party must receive: d of a degree-d sharing, but never fewer than t.</summary>
        public int Received => Math.Max(Degree, Threshold);

        public override string ToString() => $"n = {Parties}, t = {Threshold}, d = {Degree}, {Count} values, seed {Seed}";
    }

    /// <summary>n in 1..7, t &lt; n/2, degree mostly t or 2t, sometimes any other d &lt; n.</summary>
    private static readonly Arbitrary<Scenario> Scenarios =
        (from n in Gen.Choose(1, 7)
         from t in Gen.Choose(0, (n - 1) / 2)
         from d in Gen.Frequency((3, Gen.Constant(t)), (3, Gen.Constant(2 * t)), (1, Gen.Choose(0, n - 1)))
         from count in Gen.Choose(1, 40)
         from seed in Gen.Choose(0, int.MaxValue)
         select new Scenario(n, t, d, count, seed)).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property Every_party_opens_the_secret_receiving_and_sending_exactly_d_messages() => Prop.ForAll(Scenarios, scenario =>
    {
        (Fp61[] secrets, Fp61[][] shares) = Deal(scenario);
        Outcome outcome = RunAsync(scenario.Parties, scenario.Threshold, OpeningMode.AllToAll, check: false,
            c => OpenInPhasesAsync(c, shares[c.Party], scenario.Degree)).GetAwaiter().GetResult();

        int n = scenario.Parties, d = scenario.Received;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(secrets, outcome.Values[i]);
            Assert.Equal(d, outcome.Sent[i].Messages);
            Assert.Equal((long)d * scenario.Count * Fp61.ByteLength, outcome.Sent[i].Bytes);
            Assert.Equal(d, outcome.ReceivedBy(i));
            // Party i's share goes to the parties whose window i, i + 1, …, i + d (mod n) holds it.
            for (int k = 1; k <= d; k++) Assert.Equal(1, outcome.Messages[(i, (i - k + n) % n)]);
        }
        Assert.Equal(n * d, outcome.Messages.Values.Sum());
    });

    [Property(MaxTest = 20)]
    public Property Openings_that_consume_their_buffer_agree_with_ones_that_copy_it() => Prop.ForAll(Scenarios, scenario =>
    {
        (Fp61[] secrets, Fp61[][] shares) = Deal(scenario);
        Outcome outcome = RunAsync(scenario.Parties, scenario.Threshold, OpeningMode.AllToAll, check: false, async c =>
        {
            Fp61[] mine = shares[c.Party], before = mine.ToArray();
            Fp61[] copied = await OpenInPhasesAsync(c, mine, scenario.Degree);
            Assert.Equal(before, mine); // the caller's buffer is only read
            var opener = new Opener<Fp61>(c);
            Opener<Fp61>.Opening opening = opener.PrepareOpenConsuming(mine.ToArray(), scenario.Degree, c.NextTag(), default);
            await opener.ExchangeAsync(opening);
            var consumed = new Fp61[mine.Length];
            opener.FinalizeOpen(opening, consumed);
            Assert.Equal(copied, consumed);
            return consumed;
        }).GetAwaiter().GetResult();

        Assert.All(outcome.Values, values => Assert.Equal(secrets, values));
    });

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public async Task Checked_openings_still_send_every_share_to_everyone(int n, int t)
    {
        var scenario = new Scenario(n, t, t, 9, n);
        (Fp61[] secrets, Fp61[][] shares) = Deal(scenario);
        Outcome outcome = await RunAsync(n, t, OpeningMode.AllToAll, check: true, c => OpenInPhasesAsync(c, shares[c.Party], t));

        for (int i = 0; i < n; i++)
        {
            Assert.Equal(secrets, outcome.Values[i]);
            Assert.Equal(n - 1, outcome.Sent[i].Messages);
            Assert.Equal(n - 1, outcome.ReceivedBy(i));
        }
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public async Task King_openings_still_gather_d_plus_one_shares_at_the_king_and_answer_everyone(int n, int t)
    {
        var scenario = new Scenario(n, t, t, 9, n);
        (Fp61[] secrets, Fp61[][] shares) = Deal(scenario);
        Outcome outcome = await RunAsync(n, t, OpeningMode.King, check: false, c => OpenInPhasesAsync(c, shares[c.Party], t));

        Assert.All(outcome.Values, values => Assert.Equal(secrets, values));
        // t contributors besides the king send to it; the king answers the n − 1 others.
        Assert.Equal(t + (n - 1), outcome.Messages.Values.Sum());
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    public async Task A_Beaver_multiplication_costs_2_n_t_field_elements(int n, int t)
    {
        const int count = 100;
        var scheme = new ShamirScheme<Fp61>(n, t);
        var random = new SeededRandom(5);
        Fp61[] a = Secrets(count, random), b = Secrets(count, random), x = Secrets(count, random), y = Secrets(count, random);
        var c = new Fp61[count];
        Fp61.Multiply(a, b, c);
        Fp61[][] sa = Split(scheme, a, t, random), sb = Split(scheme, b, t, random), sc = Split(scheme, c, t, random);
        Fp61[][] sx = Split(scheme, x, t, random), sy = Split(scheme, y, t, random);

        Outcome outcome = await RunAsync(n, t, OpeningMode.AllToAll, check: false, context =>
        {
            int i = context.Party;
            return new BeaverMultiplier<Fp61>(context).MultiplyAsync(sx[i], sy[i], new TripleBatch<Fp61>(sa[i], sb[i], sc[i])).AsTask();
        });

        var expected = new Fp61[count];
        Fp61.Multiply(x, y, expected);
        Assert.Equal(expected, Cluster.Open(t, outcome.Values));
        Assert.Equal(2L * n * t * Fp61.ByteLength * count, outcome.Sent.Sum(s => s.Bytes));
        Assert.All(outcome.Sent, s => Assert.Equal(t, s.Messages));
    }

    private static async Task<Fp61[]> OpenInPhasesAsync(ProtocolContext<Fp61> context, Fp61[] shares, int degree)
    {
        var opener = new Opener<Fp61>(context);
        Opener<Fp61>.Opening opening = opener.PrepareOpen(shares, degree);
        await opener.ExchangeAsync(opening);
        var values = new Fp61[shares.Length];
        opener.FinalizeOpen(opening, values);
        return values;
    }

    private static (Fp61[] Secrets, Fp61[][] Shares) Deal(Scenario scenario)
    {
        var random = new SeededRandom(scenario.Seed);
        Fp61[] secrets = Secrets(scenario.Count, random);
        var scheme = new ShamirScheme<Fp61>(scenario.Parties, scenario.Threshold);
        return (secrets, Split(scheme, secrets, scenario.Degree, random));
    }

    private static Fp61[] Secrets(int count, IRandomSource random)
    {
        var secrets = new Fp61[count];
        Fp61.RandomFill(random, secrets);
        if (count > 1) secrets[0] = Fp61.Zero;
        return secrets;
    }

    /// <summary>Random degree-<paramref name="degree"/> sharings of <paramref name="secrets"/>, one vector per party.</summary>
    private static Fp61[][] Split(ShamirScheme<Fp61> scheme, Fp61[] secrets, int degree, IRandomSource random)
    {
        int n = scheme.Parties, count = secrets.Length;
        var all = new Fp61[n * count];
        scheme.ShareBatch(secrets, degree, random, all);
        var shares = new Fp61[n][];
        for (int j = 0; j < n; j++) shares[j] = all.AsSpan(j * count, count).ToArray();
        return shares;
    }

    private sealed record Outcome(Fp61[][] Values, (long Messages, long Bytes)[] Sent, IReadOnlyDictionary<(int From, int To), int> Messages)
    {
        public int ReceivedBy(int party) => Messages.Where(m => m.Key.To == party).Sum(m => m.Value);
    }

    /// <summary>Runs <paramref name="protocol"/> on n metered in-memory parties and records every message's sender and receiver.</summary>
    private static async Task<Outcome> RunAsync(int n, int t, OpeningMode mode, bool check, Func<ProtocolContext<Fp61>, Task<Fp61[]>> protocol)
    {
        InMemoryTransport[] transports = InMemoryNetwork.Create(n);
        var recorders = new RecordingTransport[n];
        var metered = new MeteredTransport[n];
        var tasks = new Task<Fp61[]>[n];
        for (int i = 0; i < n; i++)
        {
            metered[i] = new MeteredTransport(recorders[i] = new RecordingTransport(transports[i]));
            var context = new ProtocolContext<Fp61>(metered[i], t, session: 3, new SeededRandom(i), mode, check);
            tasks[i] = Task.Run(() => protocol(context));
        }
        try
        {
            Fp61[][] values = await Task.WhenAll(tasks).WaitAsync(Cluster.Timeout);
            // Per (sender, receiver) pair, the number of messages.
            var messages = recorders.SelectMany(r => r.Sent.Select(m => (From: r.Party, To: m.Peer)))
                .GroupBy(pair => pair).ToDictionary(g => (g.Key.From, g.Key.To), g => g.Count());
            return new Outcome(values, Array.ConvertAll(metered, m => (m.MessagesSent, m.BytesSent)), messages);
        }
        finally
        {
            foreach (var transport in transports) await transport.DisposeAsync();
        }
    }

}
