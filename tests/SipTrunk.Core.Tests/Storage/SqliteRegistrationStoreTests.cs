using Microsoft.Data.Sqlite;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Storage;

namespace SipTrunk.Core.Tests.Storage;

public sealed class SqliteRegistrationStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    // A hang guard, not a timed assertion: a deadlocked SQLite lock fails the test instead of the run.
    private readonly CancellationTokenSource _hangGuard = new(TimeSpan.FromSeconds(30));

    private CancellationToken Ct => _hangGuard.Token;

    public void Dispose()
    {
        _hangGuard.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task InitializeAsync_MissingDirectory_CreatesFileInWalModeWithSchemaVersion()
    {
        var store = await OpenAsync();
        await store.InitializeAsync(Ct);

        Assert.True(File.Exists(_database.FilePath));
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync(Ct);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteRegistrationStore.SchemaVersion, await ScalarAsync(connection, "PRAGMA user_version;"));
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM registrations;"));
    }

    [Fact]
    public async Task LoadAsync_AfterReplace_RoundTripsEveryField()
    {
        var store = await OpenAsync();
        var full = Binding("sip:alice@example.com", "sip:alice@192.0.2.10:5061;transport=tls") with
        {
            FlowId = 42,
            RemoteEndPoint = "192.0.2.10:40000",
            Transport = "tls",
            Path = ["<sip:edge1.example.com;lr>", "<sip:edge2.example.com;lr;ob>", "\"quoted, \\\"odd\\\"\" <sip:x@y>"],
            InstanceId = "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>",
            RegId = 2,
            Q = 0.7,
            UserAgent = "PBX/1.0 (test)",
        };
        var minimal = Binding("sip:alice@example.com", "sip:alice@198.51.100.1");

        await store.ReplaceAsync("sip:alice@example.com", [full, minimal], Ct);
        var loaded = await store.LoadAsync(Ct);

        Assert.Equal(2, loaded.Count);
        AssertSame(full, Assert.Single(loaded, b => b.ContactUri == full.ContactUri));
        AssertSame(minimal, Assert.Single(loaded, b => b.ContactUri == minimal.ContactUri));
    }

    [Fact]
    public async Task ReplaceAsync_SameContactDifferentRegId_KeepsBoth()
    {
        var store = await OpenAsync();
        var one = Binding("sip:alice@example.com", "sip:alice@192.0.2.10;ob") with { InstanceId = "<urn:uuid:1>", RegId = 1 };
        var two = one with { RegId = 2 };

        await store.ReplaceAsync("sip:alice@example.com", [one, two], Ct);

        Assert.Equal([1, 2], (await store.LoadAsync(Ct)).Select(b => b.RegId ?? 0).Order());
    }

    [Fact]
    public async Task ReplaceAsync_ExistingAor_ReplacesOnlyThatAor()
    {
        var store = await OpenAsync();
        await store.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1"), Binding("sip:alice@example.com", "sip:a2@192.0.2.1")], Ct);
        await store.ReplaceAsync("sip:bob@example.com", [Binding("sip:bob@example.com", "sip:b1@192.0.2.2")], Ct);

        await store.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a3@192.0.2.1")], Ct);

        var contacts = (await store.LoadAsync(Ct)).Select(b => b.ContactUri).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["sip:a3@192.0.2.1", "sip:b1@192.0.2.2"], contacts);
    }

    [Fact]
    public async Task ReplaceAsync_Empty_RemovesTheAor()
    {
        var store = await OpenAsync();
        await store.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1")], Ct);

        await store.ReplaceAsync("sip:alice@example.com", [], Ct);

        Assert.Empty(await store.LoadAsync(Ct));
    }

    [Fact]
    public async Task ReplaceAsync_DuplicateKey_RollsBackAndKeepsPreviousRows()
    {
        var store = await OpenAsync();
        var previous = Binding("sip:alice@example.com", "sip:a1@192.0.2.1");
        await store.ReplaceAsync("sip:alice@example.com", [previous], Ct);
        var duplicate = Binding("sip:alice@example.com", "sip:a2@192.0.2.1");

        await Assert.ThrowsAsync<SqliteException>(() => store.ReplaceAsync("sip:alice@example.com", [duplicate, duplicate], Ct));

        Assert.Equal("sip:a1@192.0.2.1", Assert.Single(await store.LoadAsync(Ct)).ContactUri);
    }

    [Fact]
    public async Task DeleteExpiredAsync_MixedExpiry_DeletesOnlyExpired()
    {
        var store = await OpenAsync();
        await store.ReplaceAsync("sip:alice@example.com",
        [
            Binding("sip:alice@example.com", "sip:old@192.0.2.1") with { ExpiresAt = Now.AddSeconds(-1) },
            Binding("sip:alice@example.com", "sip:live@192.0.2.1") with { ExpiresAt = Now.AddSeconds(1) },
        ], Ct);
        await store.ReplaceAsync("sip:bob@example.com", [Binding("sip:bob@example.com", "sip:old@192.0.2.2") with { ExpiresAt = Now }], Ct);

        var deleted = await store.DeleteExpiredAsync(Now, Ct);

        Assert.Equal(2, deleted);
        Assert.Equal("sip:live@192.0.2.1", Assert.Single(await store.LoadAsync(Ct)).ContactUri);
    }

    [Fact]
    public async Task LoadAsync_NewInstanceAfterReopen_SeesPersistedRows()
    {
        var store = await OpenAsync();
        await store.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1")], Ct);
        SqliteConnection.ClearAllPools();

        var reopened = await OpenAsync();

        Assert.Equal("sip:a1@192.0.2.1", Assert.Single(await reopened.LoadAsync(Ct)).ContactUri);
    }

    [Fact]
    public async Task ReplaceAsync_TwoInstancesOnOneFile_EachSeesTheOthersWrites()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await using var reader = new SqliteConnection(_database.ConnectionString);
        await reader.OpenAsync(Ct);

        // An open read transaction on a third connection does not block writers in WAL mode.
        await using var readTransaction = reader.BeginTransaction(deferred: true);
        Assert.Equal(0L, await ScalarAsync(reader, "SELECT COUNT(*) FROM registrations;", readTransaction));
        await first.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1")], Ct);
        await second.ReplaceAsync("sip:bob@example.com", [Binding("sip:bob@example.com", "sip:b1@192.0.2.2")], Ct);

        Assert.Equal(2, (await first.LoadAsync(Ct)).Count);
        Assert.Equal(2, (await second.LoadAsync(Ct)).Count);
    }

    [Fact]
    public async Task InitializeAsync_NewerSchema_Throws()
    {
        await OpenAsync();
        await using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await ScalarAsync(connection, "PRAGMA user_version = 99;");
        }

        var store = new SqliteRegistrationStore(_database.ConnectionString);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Ct));
    }

    private static RegistrarBinding Binding(string aor, string contact) => new()
    {
        Peer = "pbx1",
        Aor = aor,
        ContactUri = contact,
        ExpiresAt = Now.AddSeconds(3600),
        CallId = "reg-1@pbx.example.com",
        CSeq = 7,
        UpdatedAt = Now,
    };

    private static void AssertSame(RegistrarBinding expected, RegistrarBinding actual)
    {
        // Path is a list: compare it by value, the rest through record equality.
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected, actual with { Path = expected.Path });
    }

    private async Task<object?> ScalarAsync(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    private async Task<SqliteRegistrationStore> OpenAsync()
    {
        var store = new SqliteRegistrationStore(_database.ConnectionString);
        await store.InitializeAsync(Ct);
        return store;
    }
}
