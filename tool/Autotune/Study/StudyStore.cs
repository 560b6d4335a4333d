using System.Globalization;
using Autotune.Cli;
using Autotune.Files;
using Autotune.Search;
using Microsoft.Data.Sqlite;

namespace Autotune.Study;

/// <summary>What a study is: its model, what it searches, toward which target, how.</summary>
public sealed record StudyInfo(long Id, string Name, string Model, SearchSpace Space, string Target, string Strategy, int Seed, string Settings);

/// <summary>One trial as stored: its number in the study, values, state, result and per-epoch metrics.</summary>
public sealed record StoredTrial(
    long Id, int Number, TrialState State, Assignment Values, double? Value, int Epochs, int Restarts,
    string? Error, IReadOnlyDictionary<int, IReadOnlyDictionary<string, double>> Metrics);

/// <summary>
/// The study store: SQLite, one writer, every state change in its own transaction, so a controller
/// killed at any moment leaves a store from which the same command resumes exactly.
/// </summary>
public sealed class StudyStore : IDisposable
{
    public const int SchemaVersion = 1;
    private const string AppId = "autotune-study";
    private readonly SqliteConnection db;

    public string Path { get; }

    private StudyStore(string path, SqliteConnection db) { Path = path; this.db = db; }

    /// <summary>
    /// Opens (creating when absent) the store at <paramref name="path"/>; a file that is not an autotune store is refused.
    /// <paramref name="write"/>: the caller is about to write (it holds the <see cref="StudyLock"/>), so a store another
    /// process keeps locked is found now, after a bounded wait, rather than at the first write.
    /// </summary>
    public static StudyStore Open(string path, bool write = false)
    {
        RefuseOther(path, PathKinds.Of(path));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        // SQLite waits for a lock another process holds; Microsoft.Data.Sqlite retries on top for DefaultTimeout (30 s by default): bounded here.
        var wait = StudyLock.Wait();
        var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Pooling = false, DefaultTimeout = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)),
        }.ToString());
        try
        {
            db.Open();
            var store = new StudyStore(path, db);
            store.Initialise();
            if (write) store.Exec("BEGIN IMMEDIATE; COMMIT;");
            return store;
        }
        catch (SqliteException e)
        {
            db.Dispose();
            throw e.SqliteErrorCode is 13 or 10
                ? new AutotuneException(ExitCodes.Infrastructure, $"{path}: cannot write the study store ({e.Message}); free disk space and run again")
                : IsLocked(e) ? Locked(path, wait)
                : AutotuneException.Invalid($"{path} is not a readable study store ({e.Message.TrimEnd('.')}): move it away and autotune starts a new one");
        }
    }

    /// <summary>For commands that read a study: refuses a store that is missing (saying <paramref name="whenMissing"/>), a folder or a FIFO.</summary>
    public static void RequireExisting(string path, string whenMissing)
    {
        var kind = PathKinds.Of(path);
        if (kind == PathKind.Missing) throw AutotuneException.Invalid($"{path} does not exist: {whenMissing}");
        RefuseOther(path, kind);
    }

    /// <summary>SQLite reports a folder as 'unable to open' and a FIFO as a disk I/O error ('free disk space'): say what it is instead.</summary>
    private static void RefuseOther(string path, PathKind kind)
    {
        if (kind is not (PathKind.Missing or PathKind.File))
            throw AutotuneException.Invalid($"{path} is {kind.Words()}, not a study store file: move it away and autotune starts a new study");
    }

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock SQLite needs.</summary>
    public static bool IsLocked(SqliteException e) => e.SqliteErrorCode is 5 or 6;

    /// <summary>The store stayed locked by another process (named when this machine can tell) for the whole wait: exit 5.</summary>
    public static AutotuneException Locked(string path, TimeSpan wait)
    {
        var users = FileUsers.Of(path);
        var who = users.Count > 0 ? $"another process ({string.Join(", ", users)} has it open)" : "another process";
        return new AutotuneException(ExitCodes.Infrastructure,
            $"{path} is locked by {who}, still after {wait.TotalSeconds:0.#} s: SQLite lets one writer in at a time; end that process (or its transaction) and run again");
    }

    private void Initialise()
    {
        Exec("PRAGMA busy_timeout=1000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
        var tables = Scalar<long>("SELECT count(*) FROM sqlite_master WHERE type='table'");
        if (tables == 0)
        {
            using var tx = db.BeginTransaction();
            Exec("""
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE studies(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, model TEXT NOT NULL, space TEXT NOT NULL,
                    target TEXT NOT NULL, strategy TEXT NOT NULL, seed INTEGER NOT NULL, settings TEXT NOT NULL, created TEXT NOT NULL);
                CREATE TABLE trials(id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies(id), number INTEGER NOT NULL,
                    state TEXT NOT NULL, value REAL, epochs INTEGER NOT NULL DEFAULT 0, restarts INTEGER NOT NULL DEFAULT 0, error TEXT,
                    created TEXT NOT NULL, started TEXT, finished TEXT, UNIQUE(study_id, number));
                CREATE TABLE params(trial_id INTEGER NOT NULL REFERENCES trials(id), name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(trial_id, name));
                CREATE TABLE metrics(trial_id INTEGER NOT NULL REFERENCES trials(id), epoch INTEGER NOT NULL, name TEXT NOT NULL, value REAL,
                    PRIMARY KEY(trial_id, epoch, name));
                CREATE TABLE events(id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies(id), trial INTEGER, time TEXT NOT NULL,
                    kind TEXT NOT NULL, message TEXT NOT NULL);
                """, tx);
            Exec($"INSERT INTO meta VALUES('app', '{AppId}'), ('schema', '{SchemaVersion}')", tx);
            tx.Commit();
            return;
        }
        var app = TryScalar<string>("SELECT value FROM meta WHERE key='app'");
        if (app != AppId)
            throw AutotuneException.Invalid($"{Path} is an SQLite file but not an autotune study store: move it away and autotune starts a new one");
        var schema = TryScalar<string>("SELECT value FROM meta WHERE key='schema'");
        if (schema != SchemaVersion.ToString(CultureInfo.InvariantCulture))
            throw AutotuneException.Invalid($"{Path} has study schema {schema}, this autotune reads {SchemaVersion}: use the autotune version that wrote it");
        // A store someone edited by hand (or a half-copied one) fails here, not with a bug report halfway through a run.
        var missing = RequiredTables.Where(t => Scalar<long>($"SELECT count(*) FROM sqlite_master WHERE type='table' AND name='{t}'") == 0).ToList();
        if (missing.Count > 0)
            throw AutotuneException.Invalid($"{Path} lacks the table(s) {string.Join(", ", missing)} of study schema {SchemaVersion}: move it away and autotune starts a new one");
    }

    private static readonly string[] RequiredTables = ["meta", "studies", "trials", "params", "metrics", "events"];

    /// <summary>JSON the store wrote, read back; a damaged value is invalid input that names the store, never a crash.</summary>
    private T ReadJson<T>(Func<T> read, string what)
    {
        try { return read(); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException or KeyNotFoundException)
        {
            throw AutotuneException.Invalid($"{Path}: {what} is damaged ({e.Message.Split('\n')[0].TrimEnd('.')}): move the store away to start a new study");
        }
    }

    /// <summary>The study of that name, or null.</summary>
    public StudyInfo? FindStudy(string name)
    {
        using var cmd = Command("SELECT id, name, model, space, target, strategy, seed, settings FROM studies WHERE name=$n", ("$n", name));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new StudyInfo(r.GetInt64(0), r.GetString(1), r.GetString(2), ReadJson(() => SpaceJson.ReadSpace(r.GetString(3)), $"the search space of study '{name}'"),
            r.GetString(4), r.GetString(5), r.GetInt32(6), r.GetString(7)) : null;
    }

    public IReadOnlyList<string> StudyNames()
    {
        using var cmd = Command("SELECT name FROM studies ORDER BY id");
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }

    public StudyInfo CreateStudy(string name, string model, SearchSpace space, string target, string strategy, int seed, string settings)
    {
        using var tx = db.BeginTransaction();
        using (var cmd = Command("INSERT INTO studies(name, model, space, target, strategy, seed, settings, created) VALUES($n,$m,$s,$t,$g,$seed,$x,$c)",
            ("$n", name), ("$m", model), ("$s", SpaceJson.Write(space)), ("$t", target), ("$g", strategy), ("$seed", seed), ("$x", settings), ("$c", Now())))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        var id = Scalar<long>("SELECT last_insert_rowid()", tx);
        AddEvent(id, null, "study", $"created: target {target}, strategy {strategy}, seed {seed}", tx);
        tx.Commit();
        return FindStudy(name)!;
    }

    /// <summary>
    /// Starts study <paramref name="old"/>'s name over for a changed search space, in one transaction: the old
    /// study is kept under <paramref name="archivedName"/>, and the new one begins with the finished trials in
    /// <paramref name="keep"/> (each with its values in the new space), renumbered from 1, their epochs and
    /// metrics copied. Killed halfway, the store is as it was.
    /// </summary>
    public StudyInfo Restart(StudyInfo old, string archivedName, SearchSpace space, IReadOnlyList<(StoredTrial Trial, Assignment Values)> keep, string note)
    {
        using var tx = db.BeginTransaction();
        using (var rename = Command("UPDATE studies SET name=$a WHERE id=$id", ("$a", archivedName), ("$id", old.Id)))
        {
            rename.Transaction = tx;
            rename.ExecuteNonQuery();
        }
        using (var cmd = Command("INSERT INTO studies(name, model, space, target, strategy, seed, settings, created) VALUES($n,$m,$s,$t,$g,$seed,$x,$c)",
            ("$n", old.Name), ("$m", old.Model), ("$s", SpaceJson.Write(space)), ("$t", old.Target), ("$g", old.Strategy), ("$seed", old.Seed), ("$x", old.Settings), ("$c", Now())))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        var id = Scalar<long>("SELECT last_insert_rowid()", tx);
        var number = 0;
        foreach (var (trial, values) in keep)
        {
            using (var copy = Command("""
                INSERT INTO trials(study_id, number, state, value, epochs, restarts, error, created, started, finished)
                SELECT $s, $n, state, value, epochs, restarts, error, created, started, finished FROM trials WHERE id=$old
                """, ("$s", id), ("$n", ++number), ("$old", trial.Id)))
            {
                copy.Transaction = tx;
                copy.ExecuteNonQuery();
            }
            var trialId = Scalar<long>("SELECT last_insert_rowid()", tx);
            InsertParams(trialId, values, tx);
            using var metrics = Command("INSERT INTO metrics(trial_id, epoch, name, value) SELECT $t, epoch, name, value FROM metrics WHERE trial_id=$old",
                ("$t", trialId), ("$old", trial.Id));
            metrics.Transaction = tx;
            metrics.ExecuteNonQuery();
        }
        AddEvent(id, null, "study", $"created: target {old.Target}, strategy {old.Strategy}, seed {old.Seed}; {note}", tx);
        AddEvent(old.Id, null, "study", $"archived as '{archivedName}': {note}", tx);
        tx.Commit();
        return FindStudy(old.Name)!;
    }

    /// <summary>
    /// Adds finished trials of another store's study to <paramref name="study"/>, numbered after its own, with their
    /// state, result, epochs and metrics, in one transaction (`run --from-study`): killed halfway, nothing was taken.
    /// </summary>
    public void Import(StudyInfo study, IReadOnlyList<(StoredTrial Trial, Assignment Values)> trials, string note)
    {
        using var tx = db.BeginTransaction();
        var number = (int)Scalar<long>($"SELECT coalesce(max(number), 0) FROM trials WHERE study_id={study.Id}", tx);
        foreach (var (trial, values) in trials)
        {
            using (var add = Command("""
                INSERT INTO trials(study_id, number, state, value, epochs, restarts, error, created, started, finished)
                VALUES($s, $n, $st, $v, $e, $r, $err, $now, $now, $now)
                """, ("$s", study.Id), ("$n", ++number), ("$st", trial.State.Name()), ("$v", (object?)trial.Value ?? DBNull.Value),
                ("$e", trial.Epochs), ("$r", trial.Restarts), ("$err", (object?)trial.Error ?? DBNull.Value), ("$now", Now())))
            {
                add.Transaction = tx;
                add.ExecuteNonQuery();
            }
            var trialId = Scalar<long>("SELECT last_insert_rowid()", tx);
            InsertParams(trialId, values, tx);
            foreach (var (epoch, metrics) in trial.Metrics)
                foreach (var (name, value) in metrics)
                {
                    using var m = Command("INSERT INTO metrics(trial_id, epoch, name, value) VALUES($t, $e, $n, $v)",
                        ("$t", trialId), ("$e", epoch), ("$n", name), ("$v", double.IsFinite(value) ? value : DBNull.Value));
                    m.Transaction = tx;
                    m.ExecuteNonQuery();
                }
        }
        AddEvent(study.Id, null, "study", note, tx);
        tx.Commit();
    }

    /// <summary>A trial's values, one row a parameter, each as the JSON of a one-value assignment.</summary>
    private void InsertParams(long trialId, Assignment values, SqliteTransaction tx)
    {
        foreach (var (name, value) in values.Values)
        {
            using var p = Command("INSERT INTO params(trial_id, name, value) VALUES($t, $n, $v)", ("$t", trialId), ("$n", name),
                ("$v", SpaceJson.Write(new Assignment(new Dictionary<string, object> { [name] = value }))));
            p.Transaction = tx;
            p.ExecuteNonQuery();
        }
    }

    /// <summary>Adds a queued trial with the next number; the number and values are durable before it runs.</summary>
    public StoredTrial AddTrial(StudyInfo study, Assignment values)
    {
        using var tx = db.BeginTransaction();
        var number = (int)Scalar<long>($"SELECT coalesce(max(number), 0) + 1 FROM trials WHERE study_id={study.Id}", tx);
        using (var cmd = Command("INSERT INTO trials(study_id, number, state, created) VALUES($s, $n, 'queued', $c)", ("$s", study.Id), ("$n", number), ("$c", Now())))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        var trialId = Scalar<long>("SELECT last_insert_rowid()", tx);
        InsertParams(trialId, values, tx);
        AddEvent(study.Id, number, "queued", values.ToString(), tx);
        tx.Commit();
        return Trials(study).Single(t => t.Number == number);
    }

    public void MarkRunning(StudyInfo study, int number, string? note = null) =>
        Transition(study, number, TrialState.Running, "started=coalesce(started, $now)", note ?? "running", null, null, null);

    /// <summary>Records one finished epoch's metrics (idempotent: a rerun epoch replaces its values).</summary>
    public void RecordEpoch(StudyInfo study, int number, MetricLine line)
    {
        using var tx = db.BeginTransaction();
        var trialId = TrialId(study, number, tx);
        foreach (var (name, value) in line.Metrics)
        {
            using var cmd = Command("INSERT OR REPLACE INTO metrics(trial_id, epoch, name, value) VALUES($t, $e, $n, $v)",
                ("$t", trialId), ("$e", line.Epoch), ("$n", name), ("$v", double.IsFinite(value) ? value : DBNull.Value));
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        using (var up = Command("UPDATE trials SET epochs=max(epochs, $e) WHERE id=$t", ("$e", line.Epoch), ("$t", trialId)))
        {
            up.Transaction = tx;
            up.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>
    /// Records a trial that ran elsewhere, its epochs and its end, in one transaction (`autotune tell`):
    /// a controller killed halfway leaves the trial as it was, never half told.
    /// </summary>
    public void Record(StudyInfo study, int number, IReadOnlyList<MetricLine> epochs, TrialState state, double? value, int restarts, string? error)
    {
        using var tx = db.BeginTransaction();
        var trialId = TrialId(study, number, tx);
        foreach (var line in epochs)
            foreach (var (name, v) in line.Metrics)
            {
                using var cmd = Command("INSERT OR REPLACE INTO metrics(trial_id, epoch, name, value) VALUES($t, $e, $n, $v)",
                    ("$t", trialId), ("$e", line.Epoch), ("$n", name), ("$v", double.IsFinite(v) ? v : DBNull.Value));
                cmd.Transaction = tx;
                cmd.ExecuteNonQuery();
            }
        using (var up = Command("UPDATE trials SET state=$st, value=$v, epochs=$e, restarts=$r, error=$err, started=coalesce(started, $now), finished=$now WHERE id=$t",
            ("$st", state.Name()), ("$v", (object?)value ?? DBNull.Value), ("$e", epochs.Count == 0 ? 0 : epochs.Max(l => l.Epoch)), ("$r", restarts),
            ("$err", (object?)error ?? DBNull.Value), ("$now", Now()), ("$t", trialId)))
        {
            up.Transaction = tx;
            up.ExecuteNonQuery();
        }
        AddEvent(study.Id, number, state.Name(), "told: " + (error ?? (value is { } x ? $"{state.Name()}: {x.ToString("0.#####", CultureInfo.InvariantCulture)}" : state.Name())), tx);
        tx.Commit();
    }

    public void Finish(StudyInfo study, int number, TrialState state, double? value, int restarts, string? error) =>
        Transition(study, number, state, "finished=$now", error ?? (value is { } v ? $"{state.Name()}: {v.ToString("0.#####", CultureInfo.InvariantCulture)}" : state.Name()), value, restarts, error);

    public void AddEvent(StudyInfo study, int? trial, string kind, string message)
    {
        using var tx = db.BeginTransaction();
        AddEvent(study.Id, trial, kind, message, tx);
        tx.Commit();
    }

    public IReadOnlyList<(DateTime Time, int? Trial, string Kind, string Message)> Events(StudyInfo study)
    {
        using var cmd = Command("SELECT time, trial, kind, message FROM events WHERE study_id=$s ORDER BY id", ("$s", study.Id));
        using var r = cmd.ExecuteReader();
        var list = new List<(DateTime, int?, string, string)>();
        while (r.Read())
            list.Add((DateTime.Parse(r.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), r.IsDBNull(1) ? null : r.GetInt32(1), r.GetString(2), r.GetString(3)));
        return list;
    }

    public IReadOnlyList<StoredTrial> Trials(StudyInfo study)
    {
        var rows = new List<(long Id, int Number, string State, double? Value, int Epochs, int Restarts, string? Error)>();
        using (var cmd = Command("SELECT id, number, state, value, epochs, restarts, error FROM trials WHERE study_id=$s ORDER BY number", ("$s", study.Id)))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                rows.Add((r.GetInt64(0), r.GetInt32(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetDouble(3), r.GetInt32(4), r.GetInt32(5), r.IsDBNull(6) ? null : r.GetString(6)));
        var parameters = new Dictionary<long, Dictionary<string, object>>();
        using (var cmd = Command("SELECT p.trial_id, p.name, p.value FROM params p JOIN trials t ON t.id=p.trial_id WHERE t.study_id=$s", ("$s", study.Id)))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                var one = ReadJson(() => SpaceJson.ReadAssignment(r.GetString(2), study.Space)[r.GetString(1)], $"a value of study '{study.Name}'");
                (parameters.TryGetValue(r.GetInt64(0), out var d) ? d : parameters[r.GetInt64(0)] = [])[r.GetString(1)] = one;
            }
        var metrics = new Dictionary<long, SortedDictionary<int, Dictionary<string, double>>>();
        using (var cmd = Command("SELECT m.trial_id, m.epoch, m.name, m.value FROM metrics m JOIN trials t ON t.id=m.trial_id WHERE t.study_id=$s", ("$s", study.Id)))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                var byEpoch = metrics.TryGetValue(r.GetInt64(0), out var m) ? m : metrics[r.GetInt64(0)] = new();
                var epoch = byEpoch.TryGetValue(r.GetInt32(1), out var e) ? e : byEpoch[r.GetInt32(1)] = new();
                epoch[r.GetString(2)] = r.IsDBNull(3) ? double.NaN : r.GetDouble(3);
            }
        return rows.Select(t => new StoredTrial(t.Id, t.Number, TrialStates.Parse(t.State),
            new Assignment(parameters.GetValueOrDefault(t.Id) ?? []), t.Value, t.Epochs, t.Restarts, t.Error,
            metrics.TryGetValue(t.Id, out var m)
                ? m.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, double>)kv.Value)
                : new Dictionary<int, IReadOnlyDictionary<string, double>>())).ToList();
    }

    private void Transition(StudyInfo study, int number, TrialState state, string extraSet, string message, double? value, int? restarts, string? error)
    {
        using var tx = db.BeginTransaction();
        using (var cmd = Command($"UPDATE trials SET state=$st, {extraSet}, value=coalesce($v, value), restarts=coalesce($r, restarts), error=$err WHERE study_id=$s AND number=$n",
            ("$st", state.Name()), ("$now", Now()), ("$v", (object?)value ?? DBNull.Value), ("$r", (object?)restarts ?? DBNull.Value),
            ("$err", (object?)error ?? DBNull.Value), ("$s", study.Id), ("$n", number)))
        {
            cmd.Transaction = tx;
            if (cmd.ExecuteNonQuery() != 1) throw new InvalidOperationException($"study {study.Name} has no trial {number}");
        }
        AddEvent(study.Id, number, state.Name(), message, tx);
        tx.Commit();
    }

    private long TrialId(StudyInfo study, int number, SqliteTransaction tx) =>
        Scalar<long>($"SELECT id FROM trials WHERE study_id={study.Id} AND number={number}", tx);

    private void AddEvent(long studyId, int? trial, string kind, string message, SqliteTransaction tx)
    {
        using var cmd = Command("INSERT INTO events(study_id, trial, time, kind, message) VALUES($s, $t, $time, $k, $m)",
            ("$s", studyId), ("$t", (object?)trial ?? DBNull.Value), ("$time", Now()), ("$k", kind), ("$m", message));
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }

    private static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd;
    }

    private void Exec(string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(sql);
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(sql);
        cmd.Transaction = tx;
        return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private T? TryScalar<T>(string sql) where T : class
    {
        try { return Scalar<T>(sql); }
        catch (SqliteException) { return null; }
    }

    public void Dispose() => db.Dispose();
}
