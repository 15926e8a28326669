using Microsoft.Data.Sqlite;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Storage;
using SipTrunk.Testing;

namespace SipTrunk.Core.Tests.Storage;

public sealed class SqliteCallRecordStoreTests : CallRecordStoreContractTests, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly TempDirectory _scratch = new();

    protected override string UnreachableConnectionString
    {
        get
        {
            // A folder that can never exist: its parent is a regular file (permissions would not stop root).
            var file = _scratch.Combine("not-a-folder");
            File.WriteAllText(file, "x");
            return $"Data Source={Path.Combine(file, "calls.db")}";
        }
    }

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task InitializeAsync_MissingDirectory_CreatesFileInWalMode()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(_database.FilePath)));

        await OpenAsync();

        Assert.True(File.Exists(_database.FilePath));
        Assert.Equal("wal", await ScalarAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task InitializeAsync_FileSharedWithRegistrations_BothStoresKeepTheirSchemaVersions()
    {
        var registrations = new SqliteRegistrationStore(ConnectionString);
        await registrations.InitializeAsync(Ct);
        var calls = await OpenAsync();
        await registrations.InitializeAsync(Ct);

        await calls.InsertAsync([CallRecordSamples.Record("a")], Ct);
        Assert.Equal((long)SqliteRegistrationStore.SchemaVersion, await ScalarAsync("PRAGMA user_version;"));
        Assert.Empty(await registrations.LoadAsync(Ct));
        Assert.Equal("a", Assert.Single((await calls.QueryAsync(new CallRecordQuery(), Ct)).Items).Id);
    }

    [Theory]
    [InlineData("SELECT id FROM call_records ORDER BY started_at DESC, id DESC LIMIT 51", "call_records_started_at")]
    [InlineData("SELECT id FROM call_records WHERE peer = 'p' AND (started_at, id) < (5, 'x') ORDER BY started_at DESC, id DESC LIMIT 51", "call_records_peer")]
    [InlineData("SELECT id FROM call_records WHERE carrier = 'c' ORDER BY started_at DESC, id DESC LIMIT 51", "call_records_carrier")]
    [InlineData("SELECT id FROM call_records WHERE status = 's' ORDER BY started_at DESC, id DESC LIMIT 51", "call_records_status")]
    [InlineData("SELECT record FROM call_records WHERE call_id = 'c' ORDER BY started_at DESC, id DESC LIMIT 1", "call_records_call_id")]
    [InlineData("DELETE FROM call_records WHERE ended_at < 5", "call_records_ended_at")]
    public async Task Queries_UseTheirIndexWithoutSorting(string sql, string index)
    {
        await OpenAsync();

        var plan = await QueryPlanAsync(sql);

        Assert.Contains(index, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    protected override Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken) => Task.FromResult(_database.ConnectionString);

    protected override ICallRecordStore CreateStore(string connectionString) => new SqliteCallRecordStore(connectionString);

    protected override ValueTask DisposeDatabaseAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    protected override string RejectInsertSql(string id) =>
        $"CREATE TRIGGER reject_{id} BEFORE INSERT ON call_records WHEN NEW.id = '{id}' BEGIN SELECT RAISE(ABORT, 'rejected by the test'); END;";

    private async Task<string> QueryPlanAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var steps = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            steps.Add(reader.GetString(3));
        }

        return string.Join(" | ", steps);
    }
}
