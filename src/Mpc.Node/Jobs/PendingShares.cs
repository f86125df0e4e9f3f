using Mpc.Node.Storage;

namespace Mpc.Node.Jobs;

/// <summary>
/// The input shares this process stored for jobs that have not started, kept so that a starting job takes them from memory
/// instead of reading them back from SQLite.
/// </summary>
/// <remarks>
/// <para>Why: the read is on the job's critical path. A 256-input job (a Bristol AES block: one input per bit) spent about
/// 0.3 ms reading its rows, and every node waits for the last node to start.</para>
/// <para>The store stays the record. Only newly stored shares are added here, after their commit, so an entry never holds
/// what the store lacks. A job whose shares would pass <see cref="BudgetBytes"/> is dropped and marked, and reads the store
/// when it starts. So does every job after a restart, when this cache starts empty.</para>
/// <para>Not thread-safe: the scheduler calls it under its own lock.</para>
/// </remarks>
internal sealed class PendingShares
{
    /// <summary>Share bytes kept at most, over all pending jobs.</summary>
    internal const long BudgetBytes = 64L << 20;

    private readonly Dictionary<string, Entry> _jobs = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>Bytes of share data held now.</summary>
    public long Bytes => _bytes;

    /// <summary>Keeps shares just committed to the store (each new there, so never one that is already kept).</summary>
    public void Add(IEnumerable<InputShareRecord> stored)
    {
        foreach (var share in stored)
        {
            if (!_jobs.TryGetValue(share.JobId, out var entry))
                _jobs.Add(share.JobId, entry = new Entry());
            if (entry.Dropped)
                continue;
            long size = share.Share.Length + share.Salt.Length;
            if (_bytes + size > BudgetBytes)
            {
                // Partial would be wrong and evicting other jobs unfair: this job reads the store, as after a restart.
                _bytes -= entry.Bytes;
                entry.Shares.Clear();
                entry.Bytes = 0;
                entry.Dropped = true;
                continue;
            }
            entry.Shares.Add(share);
            entry.Bytes += size;
            _bytes += size;
        }
    }

    /// <summary>Removes a job's shares and returns them, or null when some of them are not kept here (read the store then).</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="inputs">How many inputs the job's circuit has: fewer kept means some were stored before this process started.</param>
    public IReadOnlyList<InputShareRecord>? Take(string jobId, int inputs)
    {
        if (!_jobs.Remove(jobId, out var entry))
            return null;
        _bytes -= entry.Bytes;
        return entry.Dropped || entry.Shares.Count < inputs ? null : entry.Shares;
    }

    /// <summary>Forgets a job that will not start (failed while pending).</summary>
    public void Forget(string jobId) => Take(jobId, 0);

    private sealed class Entry
    {
        public readonly List<InputShareRecord> Shares = [];
        public long Bytes;
        public bool Dropped;
    }
}
