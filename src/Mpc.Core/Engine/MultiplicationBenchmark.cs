using System.Diagnostics;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;

namespace Mpc.Core.Engine;

/// <summary>One party's measurements of <see cref="MultiplicationBenchmark"/>.</summary>
/// <param name="Preprocessing">Time to generate the triples (DN07, dealer-free).</param>
/// <param name="Online">Time of the Beaver layer: prepare, one exchange, finalize.</param>
/// <param name="OnlineBytesSent">Payload bytes this party sent during the online layer.</param>
/// <param name="OnlineMessagesSent">Messages this party sent during the online layer.</param>
public readonly record struct PartyBenchmark(TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent, long OnlineMessagesSent);

/// <summary>
/// The macro benchmark behind <c>mpc bench mul</c>: every party generates <c>count</c> triples, then multiplies
/// <c>count</c> independent pairs of shared values in one Beaver layer (one round). Runs one party's side over
/// any transport, so the in-memory and the gRPC cluster variants measure the same code.
/// </summary>
public static class MultiplicationBenchmark
{
    /// <summary>How many products are opened afterwards to check that the layer computed x·y.</summary>
    public const int CheckedProducts = 16;

    /// <summary>Session of the benchmark's preprocessing (triples and factors).</summary>
    public const ulong SetupSession = 1;

    /// <summary>Session of the benchmark's online layer and check.</summary>
    public const ulong OnlineSession = 2;

    /// <summary>The highest session the benchmark uses; callers sharing a transport keep their own sessions above it.</summary>
    public const ulong LastSession = OnlineSession;

    /// <summary>Runs one party's side; every party calls this with the same arguments.</summary>
    /// <exception cref="InvalidOperationException">The products did not open to x·y (a bug, not a measurement).</exception>
    public static async Task<PartyBenchmark> RunPartyAsync<T>(ITransport transport, int threshold, int count,
        CancellationToken cancellationToken = default) where T : struct, IField<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, CheckedProducts);
        var metered = new MeteredTransport(transport);
        var setup = new ProtocolContext<T>(metered, threshold, SetupSession);

        // Each node starts when its request arrives (tens of ms apart): time the protocol, not that skew.
        await metered.BarrierAsync(setup.Others, setup.NextTag(), cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        TripleBatch<T> triples = await new Dn07TripleSource<T>(setup).GenerateAsync(count, cancellationToken).ConfigureAwait(false);
        var preprocessing = clock.Elapsed;

        // The factors are fresh random sharings, generated outside the timed region.
        var sharings = new RandomSharingSource<T>(setup);
        T[] x = await sharings.GenerateAsync(count, cancellationToken).ConfigureAwait(false);
        T[] y = await sharings.GenerateAsync(count, cancellationToken).ConfigureAwait(false);

        var online = new ProtocolContext<T>(metered, threshold, OnlineSession);
        var multiplier = new BeaverMultiplier<T>(online);
        await metered.BarrierAsync(online.Others, online.NextTag(), cancellationToken).ConfigureAwait(false);
        long bytes = metered.BytesSent, messages = metered.MessagesSent;
        clock.Restart();
        T[] z = await multiplier.MultiplyAsync(x, y, triples, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        long onlineBytes = metered.BytesSent - bytes, onlineMessages = metered.MessagesSent - messages;

        // Open a few products and their factors: a benchmark of wrong answers measures nothing.
        var opener = new Opener<T>(online);
        var sample = new T[3 * CheckedProducts];
        x.AsSpan(0, CheckedProducts).CopyTo(sample);
        y.AsSpan(0, CheckedProducts).CopyTo(sample.AsSpan(CheckedProducts));
        z.AsSpan(0, CheckedProducts).CopyTo(sample.AsSpan(2 * CheckedProducts));
        T[] opened = await opener.OpenAsync(sample, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < CheckedProducts; i++)
            if (opened[i] * opened[CheckedProducts + i] != opened[2 * CheckedProducts + i])
                throw new InvalidOperationException($"Product {i} opened to a wrong value: the multiplication is broken.");

        return new PartyBenchmark(preprocessing, elapsed, onlineBytes, onlineMessages);
    }
}
