using Npgsql;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Storage;
using SipTrunk.Testing;
using SipTrunk.Testing.Postgres;

namespace SipTrunk.Core.Tests.Storage;

public sealed class PostgresCallRecordStoreTests(PostgresFixture postgres) : CallRecordStoreContractTests, IClassFixture<PostgresFixture>
{
    protected override string UnreachableConnectionString =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = FreePort.Tcp(), Username = "postgres", Database = "none", Timeout = 5 }.ConnectionString;

    [Fact]
    public async Task InitializeAsync_SeveralNodesAtOnce_AllSucceedAndCreateOneSchema()
    {
        var nodes = Enumerable.Range(0, 8).Select(_ => NewStore()).ToList();

        await Task.WhenAll(nodes.Select(node => Task.Run(() => node.InitializeAsync(Ct))));

        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM siptrunk_schema"));
        await nodes[3].InsertAsync([CallRecordSamples.Record("a")], Ct);
        Assert.Equal("a", (await nodes[5].GetAsync("a", Ct))?.Id);
    }

    [Fact]
    public async Task PingAsync_ServerCrashesAndRestarts_FalseThenTrueAndStoredRecordsSurvive()
    {
        await using var server = new PostgresServer();
        await server.StartAsync();
        await using var store = new PostgresCallRecordStore(await server.CreateDatabaseAsync("crash", Ct));
        await store.InitializeAsync(Ct);
        await store.InsertAsync([CallRecordSamples.Record("before-crash")], Ct);

        await server.StopAsync(immediate: true);
        Assert.False(await store.PingAsync(Ct));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.InsertAsync([CallRecordSamples.Record("during-outage", 1)], Ct));

        await server.StartAgainAsync();
        Assert.True(await store.PingAsync(Ct));
        await store.InsertAsync([CallRecordSamples.Record("after-restart", 2)], Ct);
        Assert.Equal(["after-restart", "before-crash"], Ids(await store.QueryAsync(new CallRecordQuery(), Ct)));
    }

    [Fact]
    public async Task PingAsync_RestartWhileSeveralConnectionsIdleInThePool_TrueBySecondPing()
    {
        await using var server = new PostgresServer();
        await server.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("restart", Ct);
        await using var store = new PostgresCallRecordStore(connectionString);
        await store.InitializeAsync(Ct);
        await FillPoolAsync(store, connectionString, connections: 3);

        // Nothing touches the store between the crash and the restart, so every pooled connection is stale.
        await server.StopAsync(immediate: true);
        await server.StartAgainAsync();

        // The first operation meets a dead connection; Npgsql then drops the whole pool, so the next one succeeds.
        await store.PingAsync(Ct);
        Assert.True(await store.PingAsync(Ct));
        await store.InsertAsync([CallRecordSamples.Record("after-restart", 10)], Ct);
    }

    [Fact]
    public async Task InitializeAsync_Table_UsesNativeTypesAndBytewiseIds()
    {
        await OpenAsync();

        Assert.Equal("timestamp with time zone", await ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_name = 'call_records' AND column_name = 'started_at'"));
        Assert.Equal("json", await ScalarAsync("SELECT data_type FROM information_schema.columns WHERE table_name = 'call_records' AND column_name = 'record'"));
        Assert.Equal("C", await ScalarAsync("SELECT collation_name FROM information_schema.columns WHERE table_name = 'call_records' AND column_name = 'id'"));
    }

    // Leaves `connections` idle connections in the store's pool: that many inserts are held open at once by a trigger
    // waiting on an advisory lock this test holds, then released together.
    private async Task FillPoolAsync(ICallRecordStore store, string connectionString, int connections)
    {
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync(Ct);
        await using (var setup = new NpgsqlCommand("""
            CREATE FUNCTION wait_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NEW; END $$;
            CREATE TRIGGER wait_for_test BEFORE INSERT ON call_records FOR EACH ROW EXECUTE FUNCTION wait_for_test();
            SELECT pg_advisory_lock(4242);
            """, holder))
        {
            await setup.ExecuteNonQueryAsync(Ct);
        }

        var inserts = Enumerable.Range(0, connections)
            .Select(i => Task.Run(() => store.InsertAsync([CallRecordSamples.Record("fill-" + i, i)], Ct)))
            .ToList();
        await using (var waiting = new NpgsqlCommand("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", holder))
        {
            while ((long)(await waiting.ExecuteScalarAsync(Ct))! < connections)
            {
                await Task.Delay(10, Ct);
            }
        }

        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(4242); DROP TRIGGER wait_for_test ON call_records;", holder))
        {
            await release.ExecuteNonQueryAsync(Ct);
        }

        await Task.WhenAll(inserts);
    }

    protected override Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken) => postgres.CreateDatabaseAsync(cancellationToken);

    protected override ICallRecordStore CreateStore(string connectionString) => new PostgresCallRecordStore(connectionString);

    protected override ValueTask DisposeDatabaseAsync() => ValueTask.CompletedTask;

    protected override async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    protected override string RejectInsertSql(string id) => $"""
        CREATE FUNCTION reject_{id}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.id = '{id}' THEN RAISE EXCEPTION 'rejected by the test'; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER reject_{id} BEFORE INSERT ON call_records FOR EACH ROW EXECUTE FUNCTION reject_{id}();
        """;
}
