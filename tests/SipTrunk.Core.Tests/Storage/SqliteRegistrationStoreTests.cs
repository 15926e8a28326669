using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Storage;

namespace SipTrunk.Core.Tests.Storage;

[SuppressMessage("Design", "CA1001", Justification = "The database is disposed in DisposeDatabaseAsync, through IAsyncLifetime.")]
public sealed class SqliteRegistrationStoreTests : RegistrationStoreContractTests
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task InitializeAsync_MissingDirectory_CreatesFileInWalModeWithSchemaVersion()
    {
        await OpenAsync();

        Assert.True(File.Exists(_database.FilePath));
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteRegistrationStore.SchemaVersion, await ScalarAsync(connection, "PRAGMA user_version;"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM registrations;"));
    }

    [Fact]
    public async Task ReplaceAsync_ReadTransactionOpenOnAThirdConnection_WritersAreNotBlocked()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await using var reader = new SqliteConnection(ConnectionString);
        await reader.OpenAsync(Ct);

        // An open read transaction on a third connection does not block writers in WAL mode.
        await using var readTransaction = reader.BeginTransaction(deferred: true);
        Assert.Equal(0L, await ScalarAsync(reader, "SELECT COUNT(*) FROM registrations;", readTransaction));
        await first.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1")], Ct);
        await second.ReplaceAsync("sip:bob@example.com", [Binding("sip:bob@example.com", "sip:b1@192.0.2.2")], Ct);

        Assert.Equal(2, (await first.LoadAsync(Ct)).Count);
    }

    protected override Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken) => Task.FromResult(_database.ConnectionString);

    protected override IRegistrationStore CreateStore(string connectionString) => new SqliteRegistrationStore(connectionString);

    protected override ValueTask DisposeDatabaseAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override void ClearConnectionPools() => SqliteConnection.ClearAllPools();

    protected override async Task SetStoredSchemaVersionAsync(int version)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await ScalarAsync(connection, $"PRAGMA user_version = {version};");
    }

    private async Task<object?> ScalarAsync(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }
}
