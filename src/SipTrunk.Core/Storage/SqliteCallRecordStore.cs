using Microsoft.Data.Sqlite;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Core.Storage;

/// <summary>
/// Call records in a SQLite file (WAL journal, so the CLI and the web page read while the proxy writes). Instants are
/// integer microseconds since the epoch (UTC) in the indexed columns; the record itself is CallRecordJson text. Each
/// call opens a pooled connection, so one instance is safe to use from several threads.
/// </summary>
public sealed class SqliteCallRecordStore : ICallRecordStore
{
    private static readonly string CreateSchemaSql = """
        CREATE TABLE IF NOT EXISTS call_records (
            id TEXT NOT NULL PRIMARY KEY,
            call_id TEXT NOT NULL,
            direction TEXT NOT NULL,
            peer TEXT NULL,
            carrier TEXT NULL,
            status TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            ended_at INTEGER NOT NULL,
            from_uri TEXT NULL,
            to_uri TEXT NULL,
            request_uri TEXT NULL,
            record TEXT NOT NULL
        );
        """ + CallRecordSql.CreateIndexesSql;

    private static readonly string InsertSql =
        "INSERT INTO call_records (" + CallRecordSql.InsertColumns + ") VALUES ("
        + string.Join(", ", Enumerable.Range(0, CallRecordSql.InsertColumnCount).Select(i => "$p" + i))
        + ") ON CONFLICT (id) DO NOTHING";

    private readonly string _connectionString;
    private readonly string? _directory;

    /// <summary>Creates a store on the SQLite database named by <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or invalid.</exception>
    public SqliteCallRecordStore(string connectionString) => (_connectionString, _directory) = SqliteConnections.Parse(connectionString);

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenForSchemaAsync(_connectionString, _directory, cancellationToken);

        // BEGIN IMMEDIATE (the default here) takes the write lock before the version is read, so two processes
        // starting on one file migrate one after the other.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SchemaVersions.MigrateAsync(connection, transaction, CallRecordSql.Component, CallRecordSql.SchemaVersion, CreateSchemaSql, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task InsertAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken)
    {
        CallRecordSql.Validate(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await SqliteConnections.OpenAsync(_connectionString, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = InsertSql;
        var parameters = new SqliteParameter[CallRecordSql.InsertColumnCount];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = insert.Parameters.Add("$p" + i, i is CallRecordSql.StartedAtOrdinal or CallRecordSql.EndedAtOrdinal ? SqliteType.Integer : SqliteType.Text);
        }

        // One statement, prepared once and rebound per record.
        foreach (var record in records)
        {
            var values = CallRecordSql.InsertValues(record, CallRecordDialect.Sqlite);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = values[i];
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<CallRecordPage> QueryAsync(CallRecordQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(_connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        return CallRecordSql.TryPrepareQuery(command, query, CallRecordDialect.Sqlite, out var limit)
            ? await CallRecordSql.ReadPageAsync(command, limit, CallRecordDialect.Sqlite, cancellationToken)
            : new CallRecordPage([], null);
    }

    /// <inheritdoc/>
    public async Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(_connectionString, cancellationToken);
        return await CallRecordSql.GetAsync(connection, id, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(_connectionString, cancellationToken);
        return await CallRecordSql.PruneAsync(connection, before, CallRecordDialect.Sqlite, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>False on any failure (missing folder, unreadable file, locked beyond the busy timeout); throws only
    /// when <paramref name="cancellationToken"/> is cancelled.</remarks>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await SqliteConnections.OpenAsync(_connectionString, cancellationToken);
            return await CallRecordSql.PingAsync(connection, cancellationToken);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Nothing to release: connections return to Microsoft.Data.Sqlite's pool after each call.</remarks>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
