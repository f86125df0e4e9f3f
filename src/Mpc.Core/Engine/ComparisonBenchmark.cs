using System.Diagnostics;
using System.Numerics;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Protocols.Integers;

namespace Mpc.Core.Engine;

/// <summary>One party's measurements of <see cref="ComparisonBenchmark"/>.</summary>
/// <param name="Preprocessing">Time to generate the masks' random bits and the triples (dealer-free).</param>
/// <param name="Online">Time of the batched comparison: one masked opening and the carry circuit's layers.</param>
/// <param name="OnlineBytesSent">Payload bytes this party sent during the online phase.</param>
/// <param name="OnlineMessagesSent">Messages this party sent during the online phase.</param>
/// <param name="Rounds">Online rounds of one comparison (<see cref="IntegerCost.Rounds"/>).</param>
/// <param name="RandomBits">Shared random bits per comparison (k + 1 + κ).</param>
/// <param name="Triples">Beaver triples per comparison (online, plus the mask-bit products made in preprocessing).</param>
public readonly record struct ComparisonPartyResult(TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent, long OnlineMessagesSent,
    int Rounds, int RandomBits, int Triples);

/// <summary>
/// The macro benchmark behind <c>mpc bench cmp</c>: party 0 inputs <c>count</c> pairs of signed k-bit integers, the
/// parties generate the material for <c>count</c> comparisons, then compute every [x &lt; y] in one batched
/// LessThan call (Catrina–de Hoogh 2010 LTZ on k + 1 bits). Runs one party's side over any transport.
/// </summary>
public static class ComparisonBenchmark
{
    /// <summary>How many comparisons are opened afterwards to check them against their opened operands.</summary>
    public const int CheckedComparisons = 16;

    /// <summary>Session of the input sharing and the preprocessing.</summary>
    public const ulong SetupSession = 1;

    /// <summary>Session of the online comparison and its check.</summary>
    public const ulong OnlineSession = 2;

    /// <summary>Runs one party's side; every party calls this with the same arguments.</summary>
    /// <param name="transport">This party's channels.</param>
    /// <param name="threshold">t.</param>
    /// <param name="count">Comparisons, at least <see cref="CheckedComparisons"/>.</param>
    /// <param name="bits">k, the bit length of the operands.</param>
    /// <param name="security">κ.</param>
    /// <param name="cancellationToken">Cancels waiting for peers.</param>
    /// <exception cref="ArgumentException">k + 1 + κ + 1 ≥ log2 p: refused before any message.</exception>
    /// <exception cref="InvalidOperationException">A comparison opened to a wrong value (a bug, not a measurement).</exception>
    public static async Task<ComparisonPartyResult> RunPartyAsync<T>(ITransport transport, int threshold, int count, int bits,
        int security = SignedEncoding.DefaultStatisticalSecurity, CancellationToken cancellationToken = default) where T : struct, IField<T>
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, CheckedComparisons);
        var metered = new MeteredTransport(transport);
        var setup = new ProtocolContext<T>(metered, threshold, SetupSession);
        var setupProtocols = new IntegerProtocols<T>(setup, security);
        int rounds = setupProtocols.OnlineRounds(IntegerOperation.LessThan, bits); // validates k, κ and the field first
        var cost = IntegerCost.For(IntegerOperation.LessThan, bits);

        // Party 0 owns the operands: random k-bit pairs, the extremes first.
        T[] own = transport.Party == 0 ? Operands<T>(count, bits) : [];
        T[] operands = await new ShamirInput<T>(setup).InputAsync(0, 2 * count, own, cancellationToken).ConfigureAwait(false);
        var x = operands.AsMemory(0, count);
        var y = operands.AsMemory(count, count);

        // Party 0 leaves the input exchange as soon as it has sent: align the parties before timing the protocol.
        await metered.BarrierAsync(setup.Others, setup.NextTag(), cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var material = await setupProtocols.PrepareAsync(IntegerOperation.LessThan, count, bits, 0, cancellationToken).ConfigureAwait(false);
        var preprocessing = clock.Elapsed;

        var online = new ProtocolContext<T>(metered, threshold, OnlineSession);
        var protocols = new IntegerProtocols<T>(online, security);
        await metered.BarrierAsync(online.Others, online.NextTag(), cancellationToken).ConfigureAwait(false);
        long bytes = metered.BytesSent, messages = metered.MessagesSent;
        clock.Restart();
        T[] less = await protocols.LessThanAsync(x, y, bits, material, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        long onlineBytes = metered.BytesSent - bytes, onlineMessages = metered.MessagesSent - messages;

        // Open a few results and their operands: a benchmark of wrong answers measures nothing.
        var sample = new T[3 * CheckedComparisons];
        x.Span[..CheckedComparisons].CopyTo(sample);
        y.Span[..CheckedComparisons].CopyTo(sample.AsSpan(CheckedComparisons));
        less.AsSpan(0, CheckedComparisons).CopyTo(sample.AsSpan(2 * CheckedComparisons));
        T[] opened = await new Opener<T>(online).OpenAsync(sample, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < CheckedComparisons; i++)
        {
            bool expected = FieldIntegers.ToSigned(opened[i]) < FieldIntegers.ToSigned(opened[CheckedComparisons + i]);
            if (opened[2 * CheckedComparisons + i] != (expected ? T.One : T.Zero))
                throw new InvalidOperationException($"Comparison {i} opened to a wrong value: the comparison protocol is broken.");
        }

        return new ComparisonPartyResult(preprocessing, elapsed, onlineBytes, onlineMessages, rounds, cost.RandomBits(security), cost.TotalTriples);
    }

    /// <summary>x values then y values: the extreme pairs (min, max), (max, min), (x, x), (−1, 0), (0, −1), then uniform k-bit values.</summary>
    private static T[] Operands<T>(int count, int bits) where T : struct, IField<T>
    {
        var values = new T[2 * count];
        BigInteger half = BigInteger.One << (bits - 1);
        BigInteger[,] edges = { { -half, half - 1 }, { half - 1, -half }, { half - 1, half - 1 }, { -1, 0 }, { 0, -1 }, { -half, -half } };
        var bytes = new byte[(bits + 7) / 8 + 1];
        for (int i = 0; i < count; i++)
            for (int side = 0; side < 2; side++)
            {
                BigInteger v;
                if (i < edges.GetLength(0)) v = edges[i, side];
                else
                {
                    CryptoRandom.Shared.Fill(bytes);
                    bytes[^1] = 0; // non-negative, then reduce into [0, 2^k) and shift to [−2^(k−1), 2^(k−1))
                    v = (new BigInteger(bytes) & ((BigInteger.One << bits) - 1)) - half;
                }
                values[side * count + i] = FieldIntegers.FromSigned<T>(v, "operand");
            }
        return values;
    }
}
