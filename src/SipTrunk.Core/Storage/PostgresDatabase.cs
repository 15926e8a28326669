using Npgsql;

namespace SipTrunk.Core.Storage;

/// <summary>
/// One PostgreSQL database as the SipTrunk stores use it: a pooled <see cref="NpgsqlDataSource"/> and schema creation
/// that several nodes may run at once. After a server restart the first operation fails on a dead pooled connection
/// and Npgsql then empties the pool, so the writer's next retry connects afresh.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    // "SIPTRUNK" in ASCII: the advisory lock every node holds while it creates or migrates tables, so concurrent
    // CREATE TABLE IF NOT EXISTS statements (which can collide in the catalog) never run side by side.
    private const long SchemaLockKey = 0x53_49_50_54_52_55_4E_4B;

    private readonly NpgsqlDataSource _dataSource;

    /// <exception cref="ArgumentException">The connection string is empty or invalid.</exception>
    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // Named in pg_stat_activity, so an operator sees which sessions are SipTrunk's.
        builder.ConnectionStringBuilder.ApplicationName ??= "siptrunk";

        // The same few statements run all day: let Npgsql prepare them on each pooled connection unless told otherwise.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }

        _dataSource = builder.Build();
    }

    /// <summary>Runs <paramref name="operation"/> on a pooled connection.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await operation(connection, cancellationToken);
    }

    /// <summary>Creates or migrates <paramref name="component"/>'s tables under the cluster-wide schema lock.</summary>
    public Task MigrateAsync(string component, int version, string createSql, CancellationToken cancellationToken) =>
        RunAsync(
            async (connection, ct) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
                {
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = SchemaLockKey });
                    await command.ExecuteNonQueryAsync(ct);
                }

                await SchemaVersions.MigrateAsync(connection, transaction, component, version, createSql, ct);
                await transaction.CommitAsync(ct);
                return true;
            },
            cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
