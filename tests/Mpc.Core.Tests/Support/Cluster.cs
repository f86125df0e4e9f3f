using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;

namespace Mpc.Core.Tests.Support;

/// <summary>Runs one protocol on n parties over an <see cref="InMemoryNetwork"/>, all concurrently, bounded by a timeout.</summary>
public static class Cluster
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<TResult[]> RunAsync<T, TResult>(int n, int t, Func<ProtocolContext<T>, Task<TResult>> protocol,
        OpeningMode mode = OpeningMode.Auto, bool checkOpenings = false, int seed = 1)
        where T : struct, IField<T>
    {
        InMemoryTransport[] transports = InMemoryNetwork.Create(n);
        var tasks = new Task<TResult>[n];
        for (int i = 0; i < n; i++)
        {
            var context = new ProtocolContext<T>(transports[i], t, session: 7, new SeededRandom(seed * 100 + i), mode, checkOpenings);
            tasks[i] = Task.Run(() => protocol(context));
        }
        try
        {
            return await Task.WhenAll(tasks).WaitAsync(Timeout);
        }
        finally
        {
            foreach (var transport in transports) await transport.DisposeAsync();
        }
    }

    /// <summary>Reconstructs every element from all parties' share vectors (checked: must be consistent degree-<paramref name="degree"/>).</summary>
    public static T[] Open<T>(int t, T[][] sharesByParty, int? degree = null) where T : struct, IField<T>
    {
        var scheme = new Mpc.Core.Sharing.ShamirScheme<T>(sharesByParty.Length, t);
        var values = new T[sharesByParty[0].Length];
        var vectors = Array.ConvertAll(sharesByParty, s => (ReadOnlyMemory<T>)s);
        scheme.ReconstructChecked(vectors, degree ?? t, values);
        return values;
    }
}
