using Microsoft.Data.Sqlite;
using Mpc.Node.Storage;

namespace Mpc.Node.Tests.Storage;

public sealed class NodeStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mpc-store-test-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void ChainCursor_IsPerContractAndSurvivesReopen()
    {
        using (var store = NodeStore.Open(_directory))
        {
            Assert.Null(store.GetChainCursor("jobs@0xaa"));
            store.SetChainCursor("jobs@0xaa", 17);
            store.SetChainCursor("jobs@0xaa", 42);
            store.SetChainCursor("jobs@0xbb", 5);
        }

        using var reopened = NodeStore.Open(_directory);

        Assert.Equal(42, reopened.GetChainCursor("jobs@0xaa"));
        Assert.Equal(5, reopened.GetChainCursor("jobs@0xbb"));
        Assert.Throws<ArgumentOutOfRangeException>(() => reopened.SetChainCursor("jobs@0xaa", -1));
    }

    [Fact]
    public void Reopen_KeepsJobsSharesAndOutputs()
    {
        byte[] share = [1, 2, 3, 4, 5, 6, 7, 8], salt = [9, 9, 9];
        using (var store = NodeStore.Open(_directory))
        {
            store.CreateJob("job-1", "c0ffee");
            store.SetJobStatus("job-1", JobStatus.Failed, "peer 2 disconnected");
            store.CreateJob("job-2", "beef");
            Assert.Equal(StoreResult.Stored, store.PutInputShares([new InputShareRecord("job-1", "x", "client-a", share, salt)], 0, out _)[0]);
            store.PutOutputs([new OutputRecord("job-2", "sum", true, [42], null), new OutputRecord("job-2", "secret", false, [7, 7], "client-a")]);
        }

        using var reopened = NodeStore.Open(_directory);

        var jobs = reopened.ListJobs();
        Assert.Equal(["job-1", "job-2"], jobs.Select(j => j.Id));
        Assert.Equal(JobStatus.Failed, jobs[0].Status);
        Assert.Equal("peer 2 disconnected", jobs[0].Reason);
        Assert.Equal(JobStatus.Pending, jobs[1].Status);
        var shares = reopened.GetInputShares("job-1");
        Assert.Single(shares);
        Assert.Equal(share, shares[0].Share);
        Assert.Equal(salt, shares[0].Salt);
        Assert.Equal("client-a", shares[0].Client);
        Assert.Equal([42], reopened.GetOutput("job-2", "sum")!.Value);
        Assert.True(reopened.GetOutput("job-2", "sum")!.IsPublic);
        Assert.Equal("client-a", reopened.GetOutput("job-2", "secret")!.Owner);
        Assert.Null(reopened.GetOutput("job-2", "missing"));
    }

    [Fact]
    public void InputShare_IsIdempotentForIdenticalBytes_AndRefusesDifferentOnes()
    {
        using var store = NodeStore.Open(_directory);
        var record = new InputShareRecord("j", "x", "c", [1, 2], [3]);
        Assert.Equal(StoreResult.Stored, store.PutInputShares([record], 0, out _)[0]);
        Assert.Equal(StoreResult.AlreadyStored, store.PutInputShares([record with { Share = [1, 2] }], 0, out _)[0]);
        Assert.Equal(StoreResult.Conflict, store.PutInputShares([record with { Share = [1, 3] }], 0, out _)[0]);
        Assert.Equal([1, 2], store.GetInputShares("j").Single().Share);
    }

    [Fact]
    public void Outputs_AreAllOrNothing()
    {
        using var store = NodeStore.Open(_directory);
        store.PutOutputs([new OutputRecord("j", "a", true, [1], null)]);
        Assert.Throws<InvalidOperationException>(() =>
            store.PutOutputs([new OutputRecord("j", "b", true, [2], null), new OutputRecord("j", "a", true, [9], null)]));
        Assert.Null(store.GetOutput("j", "b"));
        Assert.Equal([1], store.GetOutput("j", "a")!.Value);
    }

    [Fact]
    public void CompleteJob_StoresOutputsAndSucceededInOneCommit_OrNothing()
    {
        using var store = NodeStore.Open(_directory);
        store.CreateJob("j", "aa");
        store.SetJobStatus("j", JobStatus.Running);
        store.PutOutputs([new OutputRecord("j", "a", true, [1], null)]); // as before publishing on chain
        var seen = new List<(JobStatus, int)>();
        store.JobChanged += job => seen.Add((job.Status, store.GetOutputs(job.Id).Count));

        Assert.Throws<InvalidOperationException>(() =>
            store.CompleteJob("j", [new OutputRecord("j", "b", true, [2], null), new OutputRecord("j", "a", true, [9], null)]));
        Assert.Equal(JobStatus.Running, store.GetJob("j")!.Status);
        Assert.Null(store.GetOutput("j", "b"));
        Assert.Throws<KeyNotFoundException>(() => store.CompleteJob("nope", [new OutputRecord("nope", "b", true, [2], null)]));
        Assert.Null(store.GetOutput("nope", "b"));
        Assert.Throws<ArgumentException>(() => store.CompleteJob("j", [new OutputRecord("other", "b", true, [2], null)]));

        var done = store.CompleteJob("j", [new OutputRecord("j", "a", true, [1], null), new OutputRecord("j", "b", false, [2], "alice")]);

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal([(JobStatus.Succeeded, 2)], seen); // observers see the outputs together with the status
        Assert.Equal("alice", store.GetOutput("j", "b")!.Owner);
    }

    [Fact]
    public void CreateJob_ForAnotherCircuit_Fails()
    {
        using var store = NodeStore.Open(_directory);
        store.CreateJob("j", "aa");
        Assert.Equal("aa", store.CreateJob("j", "aa").CircuitId);
        var e = Assert.Throws<InvalidOperationException>(() => store.CreateJob("j", "bb"));
        Assert.Contains("'j'", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ü")]
    public void BadIds_AreRejectedWithTheirName(string id)
    {
        using var store = NodeStore.Open(_directory);
        var e = Assert.Throws<ArgumentException>(() => store.CreateJob(id, "aa"));
        Assert.Equal("jobId", e.ParamName);
    }

    [Fact]
    public void DatabaseFromANewerVersion_IsRefused()
    {
        NodeStore.Open(_directory).Dispose();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "node.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {NodeStore.SchemaVersion + 1}";
            command.ExecuteNonQuery();
        }
        var e = Assert.Throws<InvalidDataException>(() => NodeStore.Open(_directory));
        Assert.Contains("schema version", e.Message);
    }

    [Fact]
    public void JobChanged_FiresAfterCommit()
    {
        using var store = NodeStore.Open(_directory);
        var seen = new List<JobStatus>();
        store.JobChanged += job => seen.Add(store.GetJob(job.Id)!.Status);
        store.CreateJob("j", "aa");
        store.SetJobStatus("j", JobStatus.Running);
        store.SetJobStatus("j", JobStatus.Succeeded);
        Assert.Equal([JobStatus.Pending, JobStatus.Running, JobStatus.Succeeded], seen);
    }

    [Fact]
    public void Copies_ArePersistedAndPartOfTheJobsIdentity()
    {
        using (var store = NodeStore.Open(_directory))
        {
            Assert.Equal(1, store.CreateJob("one", "aa").Copies);
            Assert.Equal(100, store.CreateJob("many", "aa", 100).Copies);
            Assert.Equal(100, store.CreateJob("many", "aa", 100).Copies);
            var e = Assert.Throws<InvalidOperationException>(() => store.CreateJob("many", "aa", 3));
            Assert.Contains("copies = 100", e.Message);
        }
        using var reopened = NodeStore.Open(_directory);
        Assert.Equal([1, 100], reopened.ListJobs().OrderBy(j => j.Id == "many").Select(j => j.Copies));
    }

    // The tables of schema version 3, as that version's node created them.
    private const string VersionThreeTables = """
        CREATE TABLE jobs (id TEXT PRIMARY KEY, circuit_id TEXT NOT NULL, status INTEGER NOT NULL, reason TEXT, created_unix_ms INTEGER NOT NULL);
        CREATE TABLE input_shares (job_id TEXT NOT NULL, input_name TEXT NOT NULL, client TEXT NOT NULL, share BLOB NOT NULL, salt BLOB NOT NULL,
            received_unix_ms INTEGER NOT NULL, PRIMARY KEY (job_id, input_name, client));
        CREATE TABLE outputs (job_id TEXT NOT NULL, name TEXT NOT NULL, is_public INTEGER NOT NULL, value BLOB NOT NULL, owner TEXT, PRIMARY KEY (job_id, name));
        CREATE TABLE circuits (id TEXT PRIMARY KEY, encoding BLOB NOT NULL);
        CREATE TABLE chain_cursor (contract TEXT PRIMARY KEY, next_block INTEGER NOT NULL);
        """;

    /// <summary>Runs <paramref name="sql"/> on <c>node.db</c> in the test directory, outside the store (an old database, or damage).</summary>
    private int ExecuteRaw(string sql)
    {
        Directory.CreateDirectory(_directory);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "node.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    [Fact]
    public void VersionThreeDatabase_UpgradesWithOneCopyPerExistingJob()
    {
        ExecuteRaw(VersionThreeTables + """
            INSERT INTO jobs VALUES ('old', 'aa', 3, NULL, 1);
            PRAGMA user_version = 3;
            """);
        using var store = NodeStore.Open(_directory);
        Assert.Equal((JobStatus.Succeeded, 1), (store.GetJob("old")!.Status, store.GetJob("old")!.Copies));
    }

    [Fact]
    public void VersionFourDatabase_MovesEachJobsOutputsToOneRow()
    {
        ExecuteRaw(VersionThreeTables + """
            ALTER TABLE jobs ADD COLUMN copies INTEGER NOT NULL DEFAULT 1 CHECK (copies >= 1);
            INSERT INTO jobs VALUES ('a', 'aa', 3, NULL, 1, 1), ('b', 'bb', 3, NULL, 2, 2);
            INSERT INTO outputs VALUES ('a', 'sum', 1, x'2a', NULL), ('b', 'z', 1, x'0102', NULL), ('a', 'mine', 0, x'0506', 'alice'), ('b', 'y', 0, x'', 'bob');
            PRAGMA user_version = 4;
            """);

        using (var store = NodeStore.Open(_directory))
        {
            Assert.Equal([("a", "mine", false, "alice", "0506"), ("a", "sum", true, null, "2A")],
                store.GetOutputs("a").Select(o => (o.JobId, o.Name, o.IsPublic, o.Owner, Convert.ToHexString(o.Value))));
            Assert.Equal([("y", false, "bob", ""), ("z", true, null, "0102")],
                store.GetOutputs("b").Select(o => (o.Name, o.IsPublic, o.Owner, Convert.ToHexString(o.Value))));
        }
        using var check = new SqliteConnection($"Data Source={Path.Combine(_directory, "node.db")};Pooling=False");
        check.Open();
        using var tables = check.CreateCommand();
        tables.CommandText = "SELECT (SELECT count(*) FROM sqlite_master WHERE name = 'outputs'), (SELECT user_version FROM pragma_user_version)";
        using var reader = tables.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((0L, (long)NodeStore.SchemaVersion), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public void DamagedOutputs_AreReportedWithTheirJob_NotReadAsValues()
    {
        using (var store = NodeStore.Open(_directory))
            store.PutOutputs([new OutputRecord("j", "a", true, [1, 2, 3], null)]);
        Assert.Equal(1, ExecuteRaw("UPDATE job_outputs SET outputs = substr(outputs, 1, length(outputs) - 1)"));
        using var reopened = NodeStore.Open(_directory);
        Assert.Contains("job 'j'", Assert.Throws<InvalidDataException>(() => reopened.GetOutputs("j")).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => reopened.GetOutput("j", "a"));
    }

    [Fact]
    public void PutInputShares_StoresAllInOneCommitOrNoneOnAConflict()
    {
        using var store = NodeStore.Open(_directory);
        store.CreateJob("j", "aa", 2);
        InputShareRecord Share(string input, byte b) => new("j", input, "client", [b, b], []);
        Assert.Equal([StoreResult.Stored, StoreResult.Stored], store.PutInputShares([Share("x", 1), Share("y", 2)], 0, out _));

        var results = store.PutInputShares([Share("z", 3), Share("x", 1), Share("y", 9)], 0, out _);
        Assert.Equal([StoreResult.Stored, StoreResult.AlreadyStored, StoreResult.Conflict], results);
        Assert.Equal(["x", "y"], store.GetInputShares("j").Select(s => s.InputName));
        Assert.Equal([2, 2], store.GetInputShares("j")[1].Share);
        Assert.Equal(2, store.GetInputShares("j").Select(x => x.InputName).Distinct().Count());
        Assert.Equal(["client"], store.GetInputClients("j", "x"));
        Assert.Empty(store.GetInputClients("j", "z")); // rolled back with the conflict
    }

    [Fact]
    public void PutInputShares_ThatCompleteAJob_CommitRunningWithTheShares_DurablyAndOnlyOnce()
    {
        InputShareRecord Share(string input, byte b) => new("j", input, "client", [b], []);
        var changes = new List<JobRecord>();
        using (var store = NodeStore.Open(_directory))
        {
            store.CreateJob("j", "aa");
            store.JobChanged += changes.Add;

            // Two of three inputs: stored, not started.
            Assert.Equal([StoreResult.Stored, StoreResult.Stored], store.PutInputShares([Share("x", 1), Share("y", 2)], 3, out var started));
            Assert.Null(started);
            Assert.Equal(JobStatus.Pending, store.GetJob("j")!.Status);

            // A conflict rolls back the share that would complete the job, and the start with it.
            Assert.Equal([StoreResult.Stored, StoreResult.Conflict], store.PutInputShares([Share("z", 3), Share("x", 9)], 3, out started));
            Assert.Null(started);
            Assert.Equal((JobStatus.Pending, 2), (store.GetJob("j")!.Status, store.GetInputShares("j").Select(x => x.InputName).Distinct().Count()));

            // The caller may forbid the start (0): the shares are stored, the job stays pending.
            using (var other = NodeStore.Open(Path.Combine(_directory, "forbidden")))
            {
                other.CreateJob("j", "aa");
                Assert.Equal([StoreResult.Stored], other.PutInputShares([Share("x", 1)], 0, out started));
                Assert.Null(started);
                Assert.Equal(JobStatus.Pending, other.GetJob("j")!.Status);
            }

            // The last input: stored and Running in the same call, announced once.
            Assert.Equal([StoreResult.Stored], store.PutInputShares([Share("z", 3)], 3, out started));
            Assert.Equal(("j", JobStatus.Running), (started!.Id, started.Status));
            Assert.Equal([JobStatus.Running], changes.Select(c => c.Status));

            // A retry of an acknowledged share does not start the job again, nor does completing a job that is no longer pending.
            Assert.Equal([StoreResult.AlreadyStored], store.PutInputShares([Share("z", 3)], 3, out started));
            Assert.Null(started);
            store.SetJobStatus("j", JobStatus.Failed, "lost a peer");
            Assert.Equal([StoreResult.Stored], store.PutInputShares([Share("w", 4)], 3, out started));
            Assert.Null(started);
            Assert.Equal(JobStatus.Failed, store.GetJob("j")!.Status);

            Assert.Throws<ArgumentException>(() => store.PutInputShares([Share("q", 5), new InputShareRecord("other", "q", "client", [5], [])], 1, out _));
        }

        using var reopened = NodeStore.Open(_directory);
        Assert.Equal(["w", "x", "y", "z"], reopened.GetInputShares("j").Select(s => s.InputName));
        Assert.Equal(JobStatus.Failed, reopened.GetJob("j")!.Status);
    }

    [Fact]
    public void TryStartJob_StartsAPendingJob_OnlyOnceAllItsInputsAreStored()
    {
        var changes = new List<JobRecord>();
        using (var store = NodeStore.Open(_directory))
        {
            Assert.Null(store.TryStartJob("j", 0)); // unknown job
            store.CreateJob("j", "aa");
            store.JobChanged += changes.Add;
            store.PutInputShares([new InputShareRecord("j", "x", "a", [1], []), new InputShareRecord("j", "x", "b", [2], [])], 0, out _);
            Assert.Null(store.TryStartJob("j", 2)); // two shares, but of one input
            Assert.Equal(JobStatus.Pending, store.GetJob("j")!.Status);
            store.PutInputShares([new InputShareRecord("j", "y", "a", [3], [])], 0, out _);
            Assert.Equal(("j", JobStatus.Running), (store.TryStartJob("j", 2)!.Id, store.GetJob("j")!.Status));
            Assert.Null(store.TryStartJob("j", 2)); // no longer pending
            Assert.Equal([JobStatus.Running], changes.Select(c => c.Status));
        }
        using var reopened = NodeStore.Open(_directory);
        Assert.Equal(JobStatus.Running, reopened.GetJob("j")!.Status);
    }

    [Fact]
    public void Running_CommittedWithTheLastShare_SurvivesReopen()
    {
        using (var store = NodeStore.Open(_directory))
        {
            store.CreateJob("j", "aa");
            store.PutInputShares([new InputShareRecord("j", "x", "client", [1], [])], 1, out var started);
            Assert.NotNull(started);
        }

        using var reopened = NodeStore.Open(_directory);
        Assert.Equal(JobStatus.Running, reopened.GetJob("j")!.Status);
        Assert.Single(reopened.GetInputShares("j"));
    }
}
