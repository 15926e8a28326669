using Npgsql;
using NpgsqlTypes;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Core.Storage;

/// <summary>
/// Call records in PostgreSQL, for several nodes sharing one store. Same table as the SQLite store with native types:
/// <c>timestamptz</c> instants, the record as <c>json</c> (kept verbatim, so it round-trips exactly and can still be
/// queried with <c>-&gt;&gt;</c>), ids ordered bytewise (<c>COLLATE "C"</c>) so pages do not depend on the server's locale.
/// Safe for concurrent use; connections come from the instance's pool, released by <see cref="DisposeAsync"/>.
/// </summary>
public sealed class PostgresCallRecordStore : ICallRecordStore
{
    private static readonly string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS call_records (
            id text COLLATE "C" NOT NULL PRIMARY KEY,
            call_id text NOT NULL,
            direction text NOT NULL,
            peer text NULL,
            carrier text NULL,
            status text NOT NULL,
            started_at timestamptz NOT NULL,
            ended_at timestamptz NOT NULL,
            from_uri text NULL,
            to_uri text NULL,
            request_uri text NULL,
            record json NOT NULL
        );
        """ + CallRecordSql.CreateIndexesSql;

    private static readonly string InsertSql =
        "INSERT INTO call_records (" + CallRecordSql.InsertColumns + ") VALUES ("
        + string.Join(", ", Enumerable.Range(1, CallRecordSql.InsertColumnCount).Select(i => "$" + i))
        + ") ON CONFLICT (id) DO NOTHING";

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store on the PostgreSQL database named by <paramref name="connectionString"/> (nothing is opened yet).</summary>
    /// <exception cref="ArgumentException">The connection string is empty or invalid.</exception>
    public PostgresCallRecordStore(string connectionString) => _database = new PostgresDatabase(connectionString);

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _database.MigrateAsync(CallRecordSql.Component, CallRecordSql.SchemaVersion, CreateSchemaSql, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// All inserts go in one <see cref="NpgsqlBatch"/>: one round trip, and PostgreSQL runs a batch as one implicit
    /// transaction, so either every new record is stored or none is.
    /// </remarks>
    public async Task InsertAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken)
    {
        CallRecordSql.Validate(records);
        if (records.Count == 0)
        {
            return;
        }

        await _database.RunAsync(
            async (connection, ct) =>
            {
                await using var batch = new NpgsqlBatch(connection);
                foreach (var record in records)
                {
                    var command = new NpgsqlBatchCommand(InsertSql);
                    var values = CallRecordSql.InsertValues(record, CallRecordDialect.Postgres);
                    for (var i = 0; i < values.Length; i++)
                    {
                        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = ColumnType(i), Value = values[i] });
                    }

                    batch.BatchCommands.Add(command);
                }

                return await batch.ExecuteNonQueryAsync(ct);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<CallRecordPage> QueryAsync(CallRecordQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _database.RunAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand();
                return CallRecordSql.TryPrepareQuery(command, query, CallRecordDialect.Postgres, out var limit)
                    ? await CallRecordSql.ReadPageAsync(command, limit, CallRecordDialect.Postgres, ct)
                    : new CallRecordPage([], null);
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => CallRecordSql.GetAsync(connection, id, ct), cancellationToken);

    /// <inheritdoc/>
    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        _database.RunAsync((connection, ct) => CallRecordSql.PruneAsync(connection, before, CallRecordDialect.Postgres, ct), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>False on any failure (server down, refused, authentication); throws only when
    /// <paramref name="cancellationToken"/> is cancelled.</remarks>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _database.RunAsync(CallRecordSql.PingAsync, cancellationToken);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static NpgsqlDbType ColumnType(int ordinal) => ordinal switch
    {
        CallRecordSql.StartedAtOrdinal or CallRecordSql.EndedAtOrdinal => NpgsqlDbType.TimestampTz,
        CallRecordSql.RecordOrdinal => NpgsqlDbType.Json,
        _ => NpgsqlDbType.Text,
    };
}
