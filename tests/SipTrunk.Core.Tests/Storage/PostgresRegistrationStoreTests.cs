using Npgsql;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Storage;

namespace SipTrunk.Core.Tests.Storage;

public sealed class PostgresRegistrationStoreTests(PostgresFixture postgres) : RegistrationStoreContractTests, IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task InitializeAsync_SharedDatabaseWithCallRecords_BothSchemasCoexist()
    {
        var registrations = await OpenAsync();
        await using var calls = new PostgresCallRecordStore(ConnectionString);
        await calls.InitializeAsync(Ct);
        await registrations.InitializeAsync(Ct);

        await registrations.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1")], Ct);
        await calls.InsertAsync([CallRecordSamples.Record("a")], Ct);

        Assert.Equal(2L, await ScalarAsync("SELECT COUNT(*) FROM siptrunk_schema WHERE version = 1"));
        Assert.Single(await registrations.LoadAsync(Ct));
    }

    protected override Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken) => postgres.CreateDatabaseAsync(cancellationToken);

    protected override IRegistrationStore CreateStore(string connectionString) => new PostgresRegistrationStore(connectionString);

    protected override ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;

    // Each store has its own data source (and pool), so a new store opens new connections anyway.
    protected override void ClearConnectionPools() => NpgsqlConnection.ClearAllPools();

    protected override Task SetStoredSchemaVersionAsync(int version) =>
        ScalarAsync($"UPDATE siptrunk_schema SET version = {version} WHERE component = 'registrations'");

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
