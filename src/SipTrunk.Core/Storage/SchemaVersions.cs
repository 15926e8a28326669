using System.Data.Common;
using System.Globalization;

namespace SipTrunk.Core.Storage;

/// <summary>
/// The schema version of each SipTrunk table set, one row per component in <c>siptrunk_schema</c>. Call records and
/// registrations may share one SQLite file or one PostgreSQL database, so a single database-wide number (SQLite's
/// <c>user_version</c>) could not version them apart. The same SQL runs on both databases.
/// </summary>
internal static class SchemaVersions
{
    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS siptrunk_schema (
            component TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL
        )
        """;

    /// <summary>
    /// Brings <paramref name="component"/> to <paramref name="version"/> inside <paramref name="transaction"/>, which the
    /// caller holds exclusively (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so nodes starting together
    /// migrate once. <paramref name="createSql"/> must be idempotent (IF NOT EXISTS).
    /// </summary>
    /// <exception cref="InvalidOperationException">The stored version is newer than this code.</exception>
    public static async Task MigrateAsync(
        DbConnection connection,
        DbTransaction transaction,
        string component,
        int version,
        string createSql,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, CreateTableSql, null, cancellationToken);
        var stored = await StoredVersionAsync(connection, transaction, component, cancellationToken);
        if (stored > version)
        {
            throw new InvalidOperationException(
                $"The {component} tables have schema version {stored}, newer than this SipTrunk's {version}; upgrade SipTrunk.");
        }

        if (stored == version)
        {
            return;
        }

        // Version 1 is the first: there is nothing older to migrate from yet, only to create.
        await ExecuteAsync(connection, transaction, createSql, null, cancellationToken);
        await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO siptrunk_schema (component, version) VALUES (@component, @version) ON CONFLICT (component) DO UPDATE SET version = excluded.version",
            command =>
            {
                command.AddParameter("@component", component);
                command.AddParameter("@version", version);
            },
            cancellationToken);
    }

    private static async Task<int> StoredVersionAsync(DbConnection connection, DbTransaction transaction, string component, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM siptrunk_schema WHERE component = @component";
        command.AddParameter("@component", component);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, Action<DbCommand>? bind, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        bind?.Invoke(command);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
