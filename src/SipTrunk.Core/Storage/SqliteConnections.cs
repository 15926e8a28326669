using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SipTrunk.Core.Storage;

/// <summary>What every SipTrunk SQLite store does with its file: find its folder, open pooled connections that wait on locks.</summary>
internal static class SqliteConnections
{
    // How long a writer waits for another connection's lock before failing with SQLITE_BUSY.
    private const int BusyTimeoutMilliseconds = 5000;

    /// <summary>A store's normalized connection string and the folder of its file (null when it has none).</summary>
    /// <exception cref="ArgumentException">The connection string is empty or invalid.</exception>
    public static (string ConnectionString, string? Directory) Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return (builder.ToString(), FileDirectory(builder));
    }

    /// <summary>The folder of the database file, or null for in-memory and URI data sources.</summary>
    private static string? FileDirectory(SqliteConnectionStringBuilder builder)
    {
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source)
            || string.Equals(source, ":memory:", StringComparison.Ordinal)
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetDirectoryName(Path.GetFullPath(source));
    }

    /// <summary>Opens a (pooled) connection with the busy timeout set.</summary>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // busy_timeout is per connection: pooled connections keep it, but a new one needs it again.
            await ExecuteAsync(connection, "PRAGMA busy_timeout = " + BusyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture) + ";", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates the file's folder and opens a connection with WAL journaling: WAL is a property of the file, so once set
    /// it stays for every later connection (and for the CLI reading while the proxy writes).
    /// </summary>
    public static async Task<SqliteConnection> OpenForSchemaAsync(string connectionString, string? directory, CancellationToken cancellationToken)
    {
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = await OpenAsync(connectionString, cancellationToken);
        try
        {
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
