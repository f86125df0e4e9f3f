using Microsoft.Data.Sqlite;

namespace Mpc.Node.Storage;

/// <summary>The lifecycle state of a job.</summary>
public enum JobStatus
{
    /// <summary>Registered, waiting for inputs or a slot.</summary>
    Pending = 1,
    /// <summary>Being evaluated.</summary>
    Running = 2,
    /// <summary>Finished; outputs are stored.</summary>
    Succeeded = 3,
    /// <summary>Aborted; <see cref="JobRecord.Reason"/> says why.</summary>
    Failed = 4,
}

/// <summary>A job as stored by this node.</summary>
/// <param name="Id">The job id.</param>
/// <param name="CircuitId">The circuit it evaluates.</param>
/// <param name="Status">Its state.</param>
/// <param name="Reason">Why it failed, or null.</param>
/// <param name="Created">When it was registered.</param>
/// <param name="Copies">Copies of the circuit evaluated side by side (1 for an ordinary job); each share and output holds this many elements.</param>
public sealed record JobRecord(string Id, string CircuitId, JobStatus Status, string? Reason, DateTimeOffset Created, int Copies = 1);

/// <summary>One client's share of one input of a job (packed: one element per copy of the job), with the salt of its on-chain commitment.</summary>
public sealed record InputShareRecord(string JobId, string InputName, string Client, byte[] Share, byte[] Salt);

/// <summary>An output of a job (packed: one element per copy): the public value, or this node's share of a private output owned by <see cref="Owner"/>.</summary>
public sealed record OutputRecord(string JobId, string Name, bool IsPublic, byte[] Value, string? Owner);

/// <summary>Outcome of storing an input share.</summary>
public enum StoreResult
{
    /// <summary>Newly stored and committed.</summary>
    Stored,
    /// <summary>The identical record was already stored (an idempotent retry).</summary>
    AlreadyStored,
    /// <summary>A different record is stored under the same key; nothing was changed.</summary>
    Conflict,
}

/// <summary>The node's durable state: jobs, received input shares and outputs, in one SQLite file.</summary>
/// <remarks>
/// One file <c>node.db</c> in the data directory, write-ahead logging with <c>synchronous=FULL</c>, so a
/// method that returned has committed durably and a crash or restart loses nothing acknowledged.
/// The schema version is kept in <c>PRAGMA user_version</c> and upgraded step by step on open; a
/// database from a newer version is refused. One connection, serialised by a lock: the node's write
/// rate is a handful per job (input commits, the last of which also commits Running, then outputs and Succeeded together), far below
/// what that can sustain. Statements are compiled once per connection and reused. Thread-safe.
/// </remarks>
public sealed class NodeStore : IDisposable
{
    /// <summary>The schema version this code writes.</summary>
    public const int SchemaVersion = 5;

    // Migration k upgrades version k to k + 1, inside the transaction that then sets the version.
    private static readonly Action<SqliteConnection, SqliteTransaction>[] Migrations =
    [
        Sql("""
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            circuit_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            reason TEXT,
            created_unix_ms INTEGER NOT NULL
        );
        CREATE TABLE input_shares (
            job_id TEXT NOT NULL,
            input_name TEXT NOT NULL,
            client TEXT NOT NULL,
            share BLOB NOT NULL,
            salt BLOB NOT NULL,
            received_unix_ms INTEGER NOT NULL,
            PRIMARY KEY (job_id, input_name, client)
        );
        CREATE TABLE outputs (
            job_id TEXT NOT NULL,
            name TEXT NOT NULL,
            is_public INTEGER NOT NULL,
            value BLOB NOT NULL,
            owner TEXT,
            PRIMARY KEY (job_id, name)
        );
        """),
        // Version 2: circuits by id, so a job (and a restarted node) can find what it evaluates.
        Sql("""
        CREATE TABLE circuits (
            id TEXT PRIMARY KEY,
            encoding BLOB NOT NULL
        );
        """),
        // Version 3: how far the chain watcher has scanned each contract's events, so a restart resumes there.
        Sql("""
        CREATE TABLE chain_cursor (
            contract TEXT PRIMARY KEY,
            next_block INTEGER NOT NULL
        );
        """),
        // Version 4: batched jobs evaluate K copies side by side; shares and outputs stay one row each, packed K wide.
        Sql("""
        ALTER TABLE jobs ADD COLUMN copies INTEGER NOT NULL DEFAULT 1 CHECK (copies >= 1);
        """),
        // Version 5: a job's outputs are one row (OutputsEncoding), as they are written and read together.
        MoveOutputsToOneRowPerJob,
    ];

    private static Action<SqliteConnection, SqliteTransaction> Sql(string sql) => (connection, transaction) =>
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    };

    /// <remarks>
    /// One row per output cost every node about 0.4 ms of CPU per 128-output job (the AES-shaped Bristol circuit) to insert and
    /// 0.13 ms to read back for the reply, on the path from a job's last round to its client; one row costs one insert.
    /// </remarks>
    private static void MoveOutputsToOneRowPerJob(SqliteConnection connection, SqliteTransaction transaction)
    {
        Sql("CREATE TABLE job_outputs (job_id TEXT PRIMARY KEY, outputs BLOB NOT NULL);")(connection, transaction);
        var byJob = new Dictionary<string, List<OutputRecord>>(StringComparer.Ordinal);
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT job_id, name, is_public, value, owner FROM outputs";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var output = ReadOutput(reader);
                if (!byJob.TryGetValue(output.JobId, out var list))
                    byJob.Add(output.JobId, list = []);
                list.Add(output);
            }
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO job_outputs (job_id, outputs) VALUES ($job, $outputs)";
        var job = insert.Parameters.Add("$job", SqliteType.Text);
        var outputs = insert.Parameters.Add("$outputs", SqliteType.Blob);
        foreach (var (id, list) in byJob)
        {
            (job.Value, outputs.Value) = (id, OutputsEncoding.Encode(list));
            insert.ExecuteNonQuery();
        }
        Sql("DROP TABLE outputs;")(connection, transaction);
    }

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    // Prepared commands by SQL text (see Command); under _gate, disposed with the connection.
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private NodeStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Raised after a job's row was committed (created or status changed); handlers must not block.</summary>
    public event Action<JobRecord>? JobChanged;

    /// <summary>Opens (creating if needed) <c>node.db</c> in <paramref name="dataDirectory"/> and upgrades its schema.</summary>
    /// <exception cref="InvalidDataException">The file belongs to a newer schema version or is not a database.</exception>
    public static NodeStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        string path = System.IO.Path.Combine(dataDirectory, "node.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
            Migrate(connection, path);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidDataException($"'{path}' cannot be opened as the node database: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new NodeStore(connection, path);
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        int version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"));
        if (version > SchemaVersion)
            throw new InvalidDataException($"'{path}' has schema version {version}; this node understands up to {SchemaVersion}");
        for (; version < SchemaVersion; version++)
        {
            using var transaction = connection.BeginTransaction();
            Migrations[version](connection, transaction);
            Sql($"PRAGMA user_version = {version + 1};")(connection, transaction);
            transaction.Commit();
        }
    }

    /// <summary>Runs a trivial query; throws when the database is unusable (for the health check).</summary>
    internal void Ping()
    {
        lock (_gate)
            Scalar(_connection, "SELECT count(*) FROM jobs");
    }

    /// <summary>Registers a job in <see cref="JobStatus.Pending"/>; idempotent when the job exists for the same circuit and copies.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="circuitId">The circuit it evaluates.</param>
    /// <param name="copies">Copies evaluated side by side, at least 1.</param>
    /// <exception cref="InvalidOperationException">The job exists for a different circuit or copy count.</exception>
    public JobRecord CreateJob(string jobId, string circuitId, int copies = 1)
    {
        ValidateId(jobId, nameof(jobId));
        ValidateId(circuitId, nameof(circuitId));
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        JobRecord job;
        bool created;
        lock (_gate)
        {
            var command = Command("INSERT INTO jobs (id, circuit_id, status, reason, created_unix_ms, copies) VALUES ($id, $circuit, $status, NULL, $created, $copies) ON CONFLICT (id) DO NOTHING",
                ("$id", jobId), ("$circuit", circuitId), ("$status", (int)JobStatus.Pending), ("$created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), ("$copies", copies));
            created = command.ExecuteNonQuery() == 1;
            job = GetJobLocked(jobId)!;
        }
        if (job.CircuitId != circuitId)
            throw new InvalidOperationException($"job '{jobId}' already exists for circuit {job.CircuitId}, not {circuitId}");
        if (job.Copies != copies)
            throw new InvalidOperationException($"job '{jobId}' already exists with copies = {job.Copies}, not {copies}");
        if (created)
            JobChanged?.Invoke(job);
        return job;
    }

    /// <summary>Sets a job's status (and the failure reason, if any).</summary>
    /// <exception cref="KeyNotFoundException">No such job.</exception>
    public JobRecord SetJobStatus(string jobId, JobStatus status, string? reason = null)
    {
        if (!Enum.IsDefined(status))
            throw new ArgumentOutOfRangeException(nameof(status), status, "not a job status");
        JobRecord job;
        lock (_gate)
        {
            var command = Command("UPDATE jobs SET status = $status, reason = $reason WHERE id = $id",
                ("$id", jobId), ("$status", (int)status), ("$reason", reason));
            if (command.ExecuteNonQuery() == 0)
                throw new KeyNotFoundException($"no job '{jobId}'");
            job = GetJobLocked(jobId)!;
        }
        JobChanged?.Invoke(job);
        return job;
    }

    /// <summary>The job, or null when unknown.</summary>
    public JobRecord? GetJob(string jobId)
    {
        lock (_gate)
            return GetJobLocked(jobId);
    }

    /// <summary>All jobs, oldest first.</summary>
    public IReadOnlyList<JobRecord> ListJobs()
    {
        lock (_gate)
        {
            var command = Command("SELECT id, circuit_id, status, reason, created_unix_ms, copies FROM jobs ORDER BY created_unix_ms, id");
            using var reader = command.ExecuteReader();
            var jobs = new List<JobRecord>();
            while (reader.Read())
                jobs.Add(ReadJob(reader));
            return jobs;
        }
    }

    /// <summary>
    /// Stores several input shares in one transaction (one durable commit); returns only after the commit. All or
    /// nothing: when any record conflicts with a stored one, that record's result is <see cref="StoreResult.Conflict"/> and
    /// the transaction is rolled back, so nothing of the call is stored (the other results say what would have happened).
    /// Identical records already stored are <see cref="StoreResult.AlreadyStored"/>. When the call leaves the job holding a
    /// share of <paramref name="startAtInputs"/> distinct inputs while it is <see cref="JobStatus.Pending"/>, it also sets it
    /// <see cref="JobStatus.Running"/> in the same commit: the submission that completes a job pays one durable commit, not two.
    /// </summary>
    /// <param name="shares">Shares of one job (of any jobs when <paramref name="startAtInputs"/> is 0).</param>
    /// <param name="startAtInputs">The job's input count; 0 never starts it (the caller decided it may not start yet).</param>
    /// <param name="started">The job as committed Running by this call, or null when the call did not start it.</param>
    /// <returns>One result per record, in order; on a conflict nothing is stored and nothing started.</returns>
    /// <exception cref="ArgumentException">The shares belong to more than one job while <paramref name="startAtInputs"/> &gt; 0.</exception>
    /// <remarks>
    /// Crash safety: the shares and Running are one transaction, so after a crash either neither is stored (nothing was
    /// acknowledged, the job never started) or both are (the job may have started, and restart recovery fails it rather than
    /// running it a second time).
    /// </remarks>
    public StoreResult[] PutInputShares(IReadOnlyList<InputShareRecord> shares, int startAtInputs, out JobRecord? started)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentOutOfRangeException.ThrowIfNegative(startAtInputs);
        started = null;
        foreach (var share in shares)
        {
            ArgumentNullException.ThrowIfNull(share, nameof(shares));
            ValidateId(share.JobId, nameof(share.JobId));
            ValidateId(share.InputName, nameof(share.InputName));
            ValidateId(share.Client, nameof(share.Client));
            if (startAtInputs > 0 && share.JobId != shares[0].JobId)
                throw new ArgumentException($"shares of jobs '{shares[0].JobId}' and '{share.JobId}' in one call that may start a job", nameof(shares));
        }
        var results = new StoreResult[shares.Count];
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            bool conflict = false;
            for (int i = 0; i < shares.Count; i++)
            {
                var share = shares[i];
                var insert = Command("INSERT INTO input_shares (job_id, input_name, client, share, salt, received_unix_ms) VALUES ($job, $input, $client, $share, $salt, $at) ON CONFLICT DO NOTHING",
                    ("$job", share.JobId), ("$input", share.InputName), ("$client", share.Client), ("$share", share.Share), ("$salt", share.Salt), ("$at", now));
                insert.Transaction = transaction;
                if (insert.ExecuteNonQuery() == 1)
                {
                    results[i] = StoreResult.Stored;
                    continue;
                }
                var existing = Command("SELECT share, salt FROM input_shares WHERE job_id = $job AND input_name = $input AND client = $client",
                    ("$job", share.JobId), ("$input", share.InputName), ("$client", share.Client));
                existing.Transaction = transaction;
                using var reader = existing.ExecuteReader();
                reader.Read();
                bool same = ((byte[])reader[0]).AsSpan().SequenceEqual(share.Share) && ((byte[])reader[1]).AsSpan().SequenceEqual(share.Salt);
                results[i] = same ? StoreResult.AlreadyStored : StoreResult.Conflict;
                conflict |= !same;
            }
            if (conflict)
            {
                transaction.Rollback();
                return results;
            }
            if (startAtInputs > 0 && shares.Count > 0)
                started = TryStartJobLocked(shares[0].JobId, startAtInputs, transaction);
            transaction.Commit();
        }
        if (started is not null)
            JobChanged?.Invoke(started);
        return results;
    }

    /// <summary>All input shares received for a job, ordered by input name then client.</summary>
    public IReadOnlyList<InputShareRecord> GetInputShares(string jobId)
    {
        lock (_gate)
        {
            var command = Command("SELECT job_id, input_name, client, share, salt FROM input_shares WHERE job_id = $job ORDER BY input_name, client", ("$job", jobId));
            using var reader = command.ExecuteReader();
            var shares = new List<InputShareRecord>();
            while (reader.Read())
                shares.Add(new InputShareRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte[])reader[3], (byte[])reader[4]));
            return shares;
        }
    }

    /// <summary>The clients that stored a share of <paramref name="inputName"/> of a job (the scheduler lets at most one); reads no share bytes.</summary>
    public IReadOnlyList<string> GetInputClients(string jobId, string inputName)
    {
        lock (_gate)
        {
            var command = Command("SELECT client FROM input_shares WHERE job_id = $job AND input_name = $input", ("$job", jobId), ("$input", inputName));
            using var reader = command.ExecuteReader();
            var clients = new List<string>(1);
            while (reader.Read())
                clients.Add(reader.GetString(0));
            return clients;
        }
    }

    /// <summary>
    /// Sets a <see cref="JobStatus.Pending"/> job <see cref="JobStatus.Running"/> if it holds a share of at least
    /// <paramref name="inputs"/> distinct inputs: check and update are one statement, one durable commit.
    /// </summary>
    /// <returns>The job as committed Running, or null when it is unknown, not pending or still lacks inputs.</returns>
    public JobRecord? TryStartJob(string jobId, int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputs);
        JobRecord? started;
        lock (_gate)
            started = TryStartJobLocked(jobId, inputs, null);
        if (started is not null)
            JobChanged?.Invoke(started);
        return started;
    }

    // Counting distinct inputs reads no share bytes (the primary key's index answers it).
    private JobRecord? TryStartJobLocked(string jobId, int inputs, SqliteTransaction? transaction)
    {
        var start = Command("UPDATE jobs SET status = $running WHERE id = $id AND status = $pending AND (SELECT count(DISTINCT input_name) FROM input_shares WHERE job_id = $id) >= $inputs",
            ("$id", jobId), ("$running", (int)JobStatus.Running), ("$pending", (int)JobStatus.Pending), ("$inputs", inputs));
        start.Transaction = transaction;
        return start.ExecuteNonQuery() == 1 ? GetJobLocked(jobId, transaction) : null;
    }

    /// <summary>Stores a job's outputs atomically (all or none); re-storing identical outputs is a no-op.</summary>
    /// <exception cref="ArgumentException">The outputs belong to more than one job, or a name is not a valid id.</exception>
    /// <exception cref="InvalidOperationException">A different value is already stored under one of the names.</exception>
    public void PutOutputs(IReadOnlyList<OutputRecord> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0)
            return;
        string jobId = outputs[0].JobId;
        RequireJob(jobId, outputs);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            PutOutputsLocked(jobId, outputs, transaction);
            transaction.Commit();
        }
    }

    /// <summary>
    /// Stores a job's outputs and sets it <see cref="JobStatus.Succeeded"/> in one durable commit (all or none), so a job is never
    /// reported succeeded without its outputs and its critical path pays one commit, not two. Outputs already stored identically
    /// (<see cref="PutOutputs"/> before publishing them) are kept.
    /// </summary>
    /// <exception cref="ArgumentException">An output belongs to another job.</exception>
    /// <exception cref="InvalidOperationException">A different value is already stored under one of the names; nothing changed.</exception>
    /// <exception cref="KeyNotFoundException">No such job; nothing changed.</exception>
    public JobRecord CompleteJob(string jobId, IReadOnlyList<OutputRecord> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        RequireJob(jobId, outputs);
        JobRecord job;
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            PutOutputsLocked(jobId, outputs, transaction);
            var command = Command("UPDATE jobs SET status = $status, reason = NULL WHERE id = $id", ("$id", jobId), ("$status", (int)JobStatus.Succeeded));
            command.Transaction = transaction;
            if (command.ExecuteNonQuery() == 0)
                throw new KeyNotFoundException($"no job '{jobId}'");
            transaction.Commit();
            job = GetJobLocked(jobId)!;
        }
        JobChanged?.Invoke(job);
        return job;
    }

    private static void RequireJob(string jobId, IReadOnlyList<OutputRecord> outputs)
    {
        ValidateId(jobId, nameof(jobId));
        foreach (var output in outputs)
        {
            if (output.JobId != jobId)
                throw new ArgumentException($"output '{output.Name}' belongs to job '{output.JobId}', not '{jobId}'", nameof(outputs));
            ValidateId(output.Name, nameof(output.Name));
        }
    }

    // Merges into the job's stored outputs: a name already stored must carry the identical output.
    private void PutOutputsLocked(string jobId, IReadOnlyList<OutputRecord> outputs, SqliteTransaction transaction)
    {
        var merged = GetOutputsLocked(jobId, transaction).ToDictionary(o => o.Name, StringComparer.Ordinal);
        int before = merged.Count;
        foreach (var output in outputs)
        {
            if (!merged.TryGetValue(output.Name, out var stored))
                merged.Add(output.Name, output);
            else if (stored.IsPublic != output.IsPublic || stored.Owner != output.Owner || !stored.Value.AsSpan().SequenceEqual(output.Value))
                throw new InvalidOperationException($"output '{output.Name}' of job '{jobId}' is already stored with a different value");
        }
        if (merged.Count == before)
            return;
        var write = Command("INSERT INTO job_outputs (job_id, outputs) VALUES ($job, $outputs) ON CONFLICT (job_id) DO UPDATE SET outputs = excluded.outputs",
            ("$job", jobId), ("$outputs", OutputsEncoding.Encode(merged.Values)));
        write.Transaction = transaction;
        write.ExecuteNonQuery();
    }

    /// <summary>All outputs of a job, ordered by name.</summary>
    /// <exception cref="InvalidDataException">The stored outputs are damaged.</exception>
    public IReadOnlyList<OutputRecord> GetOutputs(string jobId)
    {
        lock (_gate)
            return GetOutputsLocked(jobId, null);
    }

    private List<OutputRecord> GetOutputsLocked(string jobId, SqliteTransaction? transaction)
    {
        var command = Command("SELECT outputs FROM job_outputs WHERE job_id = $job", ("$job", jobId));
        command.Transaction = transaction;
        return command.ExecuteScalar() is byte[] encoded ? OutputsEncoding.Decode(jobId, encoded) : [];
    }

    /// <summary>Stores a circuit's canonical encoding under its id; idempotent (the id is a hash of the bytes).</summary>
    public void PutCircuit(string circuitId, byte[] encoding)
    {
        ValidateId(circuitId, nameof(circuitId));
        ArgumentNullException.ThrowIfNull(encoding);
        lock (_gate)
        {
            var command = Command("INSERT INTO circuits (id, encoding) VALUES ($id, $encoding) ON CONFLICT DO NOTHING", ("$id", circuitId), ("$encoding", encoding));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A stored circuit's canonical encoding, or null when unknown.</summary>
    public byte[]? GetCircuit(string circuitId)
    {
        lock (_gate)
        {
            var command = Command("SELECT encoding FROM circuits WHERE id = $id", ("$id", circuitId));
            return command.ExecuteScalar() as byte[];
        }
    }

    /// <summary>The first block the chain watcher has not scanned yet for <paramref name="contract"/>, or null before its first scan.</summary>
    public long? GetChainCursor(string contract)
    {
        ValidateId(contract, nameof(contract));
        lock (_gate)
        {
            var command = Command("SELECT next_block FROM chain_cursor WHERE contract = $contract", ("$contract", contract));
            return command.ExecuteScalar() is long next ? next : null;
        }
    }

    /// <summary>Records that every block below <paramref name="nextBlock"/> was scanned for <paramref name="contract"/> (durable on return).</summary>
    public void SetChainCursor(string contract, long nextBlock)
    {
        ValidateId(contract, nameof(contract));
        ArgumentOutOfRangeException.ThrowIfNegative(nextBlock);
        lock (_gate)
        {
            var command = Command("INSERT INTO chain_cursor (contract, next_block) VALUES ($contract, $next) ON CONFLICT (contract) DO UPDATE SET next_block = $next",
                ("$contract", contract), ("$next", nextBlock));
            command.ExecuteNonQuery();
        }
    }

    /// <summary>One output, or null when not (yet) stored.</summary>
    /// <exception cref="InvalidDataException">The stored outputs are damaged.</exception>
    public OutputRecord? GetOutput(string jobId, string name)
    {
        lock (_gate)
            return GetOutputsLocked(jobId, null).Find(o => o.Name == name);
    }

    // The rows of schema versions 1–4, read once by their migration.
    private static OutputRecord ReadOutput(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt32(2) != 0, (byte[])reader[3], reader.IsDBNull(4) ? null : reader.GetString(4));

    private JobRecord? GetJobLocked(string jobId, SqliteTransaction? transaction = null)
    {
        var command = Command("SELECT id, circuit_id, status, reason, created_unix_ms, copies FROM jobs WHERE id = $id", ("$id", jobId));
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadJob(reader) : null;
    }

    private static JobRecord ReadJob(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), (JobStatus)reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.GetInt32(5));

    /// <summary>Job ids, input/output names and client fingerprints: 1–128 printable ASCII characters.</summary>
    internal static void ValidateId(string? value, string what)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 128 || !value.All(c => c is > ' ' and < '\x7f'))
            throw new ArgumentException($"{what} '{value}' must be 1–128 printable ASCII characters without spaces", what);
    }

    /// <summary>
    /// The connection's command for <paramref name="sql"/> with its parameters set, outside any transaction (callers in one set
    /// <see cref="SqliteCommand.Transaction"/>). Commands are created once per statement text and kept: a kept command keeps its
    /// compiled statement, so a call binds and steps it instead of parsing the SQL again. Under <see cref="_gate"/>; never disposed by callers.
    /// </summary>
    private SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            _commands.Add(sql, command);
        }
        command.Transaction = null;
        var bound = command.Parameters;
        for (int i = 0; i < parameters.Length; i++)
            bound[i].Value = parameters[i].Value ?? DBNull.Value; // same SQL text, same parameter list in the same order
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var command in _commands.Values)
                command.Dispose();
            _commands.Clear();
            _connection.Dispose();
        }
    }
}
