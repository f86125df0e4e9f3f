using System.Diagnostics;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;

namespace Mpc.Core.Engine;

/// <summary>What <see cref="InProcessParties.RunAsync"/> measured, and the online phase's collected result.</summary>
internal readonly record struct InProcessRun<TResult>(TResult Result, TimeSpan Preprocessing, TimeSpan Online, long OnlineBytesSent);

/// <summary>
/// The harness of <see cref="LocalRunner"/> and <see cref="BristolRunner"/>: n parties as tasks over one metered
/// <see cref="InMemoryNetwork"/>, a timed dealer-free preprocessing phase (session 1) and a timed online phase (session 2).
/// </summary>
internal static class InProcessParties
{
    /// <summary>Runs both phases on every party and disposes the network.</summary>
    /// <param name="parties">n.</param>
    /// <param name="threshold">t.</param>
    /// <param name="preprocess">One party's preprocessing, on its session-1 context.</param>
    /// <param name="online">One party's online phase, on its session-2 context, with its preprocessing.</param>
    /// <param name="collect">Turns every party's online result into the run's result (timed with the online phase: output delivery).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<InProcessRun<TResult>> RunAsync<T, TMaterial, TOutputs, TResult>(int parties, int threshold,
        Func<ProtocolContext<T>, Task<TMaterial>> preprocess, Func<ProtocolContext<T>, TMaterial, Task<TOutputs>> online,
        Func<TOutputs[], TResult> collect, CancellationToken cancellationToken) where T : struct, IField<T>
    {
        var transports = InMemoryNetwork.Create(parties);
        var metered = Array.ConvertAll(transports, t => new MeteredTransport(t));
        try
        {
            var clock = Stopwatch.StartNew();
            var material = await Task.WhenAll(metered.Select(m => Task.Run(() =>
                preprocess(new ProtocolContext<T>(m, threshold, session: 1)), cancellationToken))).ConfigureAwait(false);
            var preprocessing = clock.Elapsed;
            long bytesBefore = metered.Sum(m => m.BytesSent);

            clock.Restart();
            var outputs = await Task.WhenAll(metered.Select((m, i) => Task.Run(() =>
                online(new ProtocolContext<T>(m, threshold, session: 2), material[i]), cancellationToken))).ConfigureAwait(false);
            var result = collect(outputs);
            return new InProcessRun<TResult>(result, preprocessing, clock.Elapsed, metered.Sum(m => m.BytesSent) - bytesBefore);
        }
        finally
        {
            foreach (var t in transports) await t.DisposeAsync().ConfigureAwait(false);
        }
    }
}
