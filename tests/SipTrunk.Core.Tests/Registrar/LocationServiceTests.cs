using Microsoft.Extensions.Time.Testing;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Storage;
using SipTrunk.Core.Tests.Storage;
using SipTrunk.Core.Tests.Transactions;
using SipTrunk.Core.Tests.Transport;
using SipTrunk.Core.Transport;
using SipRegistrar = SipTrunk.Core.Registrar.Registrar;

namespace SipTrunk.Core.Tests.Registrar;

public sealed class LocationServiceTests : IDisposable
{
    private const string Aor = "sip:pbx1@trunk.example.com";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryRegistrationStore _store = new();
    private readonly ListLogger<LocationService> _logger = new();
    private readonly LocationService _locations;

    // A hang guard, not a timed assertion: a writer that never writes fails the test instead of hanging the run.
    private readonly CancellationTokenSource _hangGuard = new(TimeSpan.FromSeconds(30));
    private readonly CancellationTokenSource _stop = new();

    public LocationServiceTests() => _locations = new LocationService(_store, _time, _logger);

    private CancellationToken Ct => _hangGuard.Token;

    public void Dispose()
    {
        _stop.Dispose();
        _hangGuard.Dispose();
    }

    [Fact]
    public async Task FlushAsync_AfterReplace_WritesLatestStateOncePerAor()
    {
        _locations.Replace(Aor, [Binding("sip:a@192.0.2.1")]);
        _locations.Replace(Aor, [Binding("sip:b@192.0.2.1")]);
        _locations.Replace("sip:other@trunk.example.com", [Binding("sip:c@192.0.2.1", aor: "sip:other@trunk.example.com")]);

        await _locations.FlushAsync(Ct);

        Assert.Equal(2, _store.WriteCount);
        Assert.Equal("sip:b@192.0.2.1", Assert.Single(_store.Rows(Aor)).ContactUri);
        Assert.Equal(0, _locations.PendingWrites);
    }

    [Fact]
    public async Task Replace_Empty_RemovesFromMemoryAndStore()
    {
        _locations.Replace(Aor, [Binding("sip:a@192.0.2.1")]);
        await _locations.FlushAsync(Ct);

        _locations.Replace(Aor, []);
        await _locations.FlushAsync(Ct);

        Assert.Empty(_locations.Get(Aor));
        Assert.Empty(_store.Rows(Aor));
    }

    [Fact]
    public void Lookup_SeveralAors_OrdersByQThenMostRecent()
    {
        var now = _time.GetUtcNow();
        _locations.Replace(Aor,
        [
            Binding("sip:low@192.0.2.1") with { Q = 0.1 },
            Binding("sip:none-old@192.0.2.1") with { UpdatedAt = now.AddMinutes(-5) },
        ]);
        _locations.Replace("sip:pbx1-digest@trunk.example.com",
        [
            Binding("sip:half@192.0.2.1", aor: "sip:pbx1-digest@trunk.example.com") with { Q = 0.5 },
            Binding("sip:none-new@192.0.2.1", aor: "sip:pbx1-digest@trunk.example.com"),
        ]);
        _locations.Replace("sip:pbx2@trunk.example.com", [Binding("sip:theirs@192.0.2.2", aor: "sip:pbx2@trunk.example.com") with { Peer = "pbx2" }]);

        var found = _locations.Lookup("pbx1");

        Assert.Equal(["sip:none-new@192.0.2.1", "sip:none-old@192.0.2.1", "sip:half@192.0.2.1", "sip:low@192.0.2.1"], found.Select(b => b.ContactUri));
    }

    [Fact]
    public void Reads_BindingPastExpiry_HiddenBeforeAnyPurge()
    {
        _locations.Replace(Aor, [Binding("sip:short@192.0.2.1", seconds: 60), Binding("sip:long@192.0.2.1", seconds: 120)]);
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(["sip:long@192.0.2.1"], _locations.Get(Aor).Select(b => b.ContactUri));
        Assert.Equal(["sip:long@192.0.2.1"], _locations.Lookup("pbx1").Select(b => b.ContactUri));
        Assert.Equal(["sip:long@192.0.2.1"], _locations.Snapshot().Select(b => b.ContactUri));
        Assert.Equal(1, _locations.Count);
    }

    [Fact]
    public async Task RunAsync_Replace_IsWrittenBehind()
    {
        var run = _locations.RunAsync(_stop.Token);

        _locations.Replace(Aor, [Binding("sip:a@192.0.2.1")]);

        Assert.Equal((Aor, true), await _store.Attempts.Reader.ReadAsync(Ct));
        Assert.Single(_store.Rows(Aor));
        await _stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_StoreDown_KeepsMemoryLogsAndRetriesLater()
    {
        _store.Fail = true;
        var run = _locations.RunAsync(_stop.Token);

        _locations.Replace(Aor, [Binding("sip:a@192.0.2.1")]);

        Assert.Equal((Aor, false), await _store.Attempts.Reader.ReadAsync(Ct));
        Assert.Single(_locations.Get(Aor));
        await Assert.ThrowsAsync<IOException>(() => _locations.FlushAsync(Ct));
        Assert.Equal((Aor, false), await _store.Attempts.Reader.ReadAsync(Ct));
        Assert.Equal(1, _locations.PendingWrites);

        _store.Fail = false;
        _time.Advance(LocationService.RetryDelay);

        Assert.Equal((Aor, true), await _store.Attempts.Reader.ReadAsync(Ct));
        Assert.Single(_store.Rows(Aor));
        Assert.NotEmpty(_logger.Messages(4200));
        await _stop.CancelAsync();
        await run;
        Assert.Equal(0, _locations.PendingWrites);
    }

    [Fact]
    public async Task RunAsync_PurgeInterval_DeletesExpiredFromMemoryAndStore()
    {
        _locations.Replace(Aor, [Binding("sip:short@192.0.2.1", seconds: 20), Binding("sip:long@192.0.2.1", seconds: 3600)]);
        await _locations.FlushAsync(Ct);
        var run = _locations.RunAsync(_stop.Token);

        _time.Advance(LocationService.PurgeInterval);

        Assert.Equal(1, await _store.Purges.Reader.ReadAsync(Ct));
        Assert.Equal(["sip:long@192.0.2.1"], _store.Rows(Aor).Select(b => b.ContactUri));
        await _stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RunAsync_Cancelled_FlushesPendingBeforeReturning()
    {
        await _stop.CancelAsync();
        _locations.Replace(Aor, [Binding("sip:a@192.0.2.1")]);

        await _locations.RunAsync(_stop.Token);

        Assert.Single(_store.Rows(Aor));
        Assert.Equal(0, _locations.PendingWrites);
    }

    [Fact]
    public async Task LoadAsync_AfterRestartOnSqlite_ReturnsUnexpiredBindingsWithoutFlows()
    {
        using var database = new TempDatabase();
        var store = new SqliteRegistrationStore(database.ConnectionString);
        await store.InitializeAsync(Ct);
        var before = new LocationService(store, _time, _logger);
        var registrar = new SipRegistrar(new RegistrarSettings(), before, _time);
        var flow = new TestFlow(SipTransportKind.Tls, _time, id: 7);
        var peer = new PeerDefinition { Name = "pbx1", CertificateSubject = "pbx1.example.com" };
        registrar.Register(RegisterRequests.Create(
            "Path: <sip:edge.example.com;lr>\r\nContact: <sip:a@192.0.2.10;transport=tls>;q=0.8, <sip:b@192.0.2.10>;expires=60\r\n"), flow, peer);
        await before.FlushAsync(Ct);
        _time.Advance(TimeSpan.FromSeconds(60));

        var restartedStore = new SqliteRegistrationStore(database.ConnectionString);
        await restartedStore.InitializeAsync(Ct);
        var after = new LocationService(restartedStore, _time, _logger);
        await after.LoadAsync(Ct);

        var expected = Assert.Single(before.Get(Aor));
        var loaded = Assert.Single(after.Get(Aor));
        Assert.Equal(7, expected.FlowId);
        Assert.Equal(0, loaded.FlowId);
        Assert.Equal(expected.Path, loaded.Path);
        Assert.Equal(expected with { FlowId = 0, Path = loaded.Path }, loaded);
    }

    [Fact]
    public async Task LoadAsync_AorAlreadyInMemory_KeepsMemory()
    {
        _locations.Replace(Aor, [Binding("sip:stored@192.0.2.1")]);
        await _locations.FlushAsync(Ct);
        var restarted = new LocationService(_store, _time, _logger);
        restarted.Replace(Aor, [Binding("sip:fresh@192.0.2.1")]);

        await restarted.LoadAsync(Ct);

        Assert.Equal(["sip:fresh@192.0.2.1"], restarted.Get(Aor).Select(b => b.ContactUri));
    }

    private RegistrarBinding Binding(string contact, string aor = Aor, int seconds = 3600) => new()
    {
        Peer = "pbx1",
        Aor = aor,
        ContactUri = contact,
        ExpiresAt = _time.GetUtcNow().AddSeconds(seconds),
        CallId = "reg-1",
        CSeq = 1,
        FlowId = 3,
        UpdatedAt = _time.GetUtcNow(),
    };
}
