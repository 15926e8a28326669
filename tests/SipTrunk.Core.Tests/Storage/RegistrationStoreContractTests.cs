using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using SipTrunk.Core.Registrar;

namespace SipTrunk.Core.Tests.Storage;

/// <summary>What every <see cref="IRegistrationStore"/> must do, run against each store on a fresh real database.</summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public abstract class RegistrationStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    // A hang guard, not a timed assertion: a deadlocked lock fails the test instead of the run.
    private readonly CancellationTokenSource _hangGuard = new(TimeSpan.FromSeconds(60));
    private readonly List<IRegistrationStore> _stores = [];

    protected CancellationToken Ct => _hangGuard.Token;

    /// <summary>The test's own empty database.</summary>
    protected string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync() => ConnectionString = await CreateEmptyDatabaseAsync(Ct);

    public async Task DisposeAsync()
    {
        foreach (var store in _stores.OfType<IAsyncDisposable>())
        {
            await store.DisposeAsync();
        }

        await DisposeDatabaseAsync();
        _hangGuard.Dispose();
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

        await Assert.ThrowsAnyAsync<DbException>(() => store.ReplaceAsync("sip:alice@example.com", [duplicate, duplicate], Ct));

        Assert.Equal("sip:a1@192.0.2.1", Assert.Single(await store.LoadAsync(Ct)).ContactUri);
    }

    [Fact]
    public async Task ReplaceAsync_BindingOfAnotherAor_ThrowsArgumentAndKeepsPreviousRows()
    {
        var store = await OpenAsync();
        await store.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1")], Ct);

        await Assert.ThrowsAsync<ArgumentException>(() => store.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a2@192.0.2.1"), Binding("sip:bob@example.com", "sip:b1@192.0.2.2")], Ct));

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
        ClearConnectionPools();

        var reopened = await OpenAsync();

        Assert.Equal("sip:a1@192.0.2.1", Assert.Single(await reopened.LoadAsync(Ct)).ContactUri);
    }

    [Fact]
    public async Task ReplaceAsync_TwoInstances_EachSeesTheOthersWrites()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        await first.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1")], Ct);
        await second.ReplaceAsync("sip:bob@example.com", [Binding("sip:bob@example.com", "sip:b1@192.0.2.2")], Ct);

        Assert.Equal(2, (await first.LoadAsync(Ct)).Count);
        Assert.Equal(2, (await second.LoadAsync(Ct)).Count);
    }

    [Fact]
    public async Task ReplaceAsync_SameAorFromTwoInstancesAtOnce_NeverFailsAndLeavesOneWritersBindings()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        // Two nodes refreshing one AOR race each other; each replace must apply whole, one after the other.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).ReplaceAsync(
                "sip:alice@example.com",
                [Binding("sip:alice@example.com", "sip:a@192.0.2.1") with { CSeq = i }, Binding("sip:alice@example.com", "sip:b@192.0.2.1") with { CSeq = i }],
                Ct))));

        var loaded = await first.LoadAsync(Ct);
        Assert.Equal(2, loaded.Count);
        Assert.Single(loaded.Select(b => b.CSeq).Distinct());
    }

    [Fact]
    public async Task InitializeAsync_Twice_KeepsRows()
    {
        var store = await OpenAsync();
        await store.ReplaceAsync("sip:alice@example.com", [Binding("sip:alice@example.com", "sip:a1@192.0.2.1")], Ct);

        await store.InitializeAsync(Ct);

        Assert.Single(await store.LoadAsync(Ct));
    }

    [Fact]
    public async Task InitializeAsync_NewerSchema_Throws()
    {
        await OpenAsync();
        await SetStoredSchemaVersionAsync(99);

        var store = NewStore();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Ct));
    }

    /// <summary>A fresh empty database; returns its connection string.</summary>
    protected abstract Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken);

    protected abstract IRegistrationStore CreateStore(string connectionString);

    protected abstract ValueTask DisposeDatabaseAsync();

    /// <summary>Forgets pooled connections, so the next store really opens the database again.</summary>
    protected abstract void ClearConnectionPools();

    /// <summary>Marks the test's database as written by a newer SipTrunk.</summary>
    protected abstract Task SetStoredSchemaVersionAsync(int version);

    protected static RegistrarBinding Binding(string aor, string contact) => new()
    {
        Peer = "pbx1",
        Aor = aor,
        ContactUri = contact,
        ExpiresAt = Now.AddSeconds(3600),
        CallId = "reg-1@pbx.example.com",
        CSeq = 7,
        UpdatedAt = Now,
    };

    protected IRegistrationStore NewStore()
    {
        var store = CreateStore(ConnectionString);
        _stores.Add(store);
        return store;
    }

    protected async Task<IRegistrationStore> OpenAsync()
    {
        var store = NewStore();
        await store.InitializeAsync(Ct);
        return store;
    }

    private static void AssertSame(RegistrarBinding expected, RegistrarBinding actual)
    {
        // Path is a list: compare it by value, the rest through record equality.
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected, actual with { Path = expected.Path });
    }
}
