using SipTrunk.Core.Cdr;
using SipTrunk.Core.Storage;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Postgres;

namespace SipTrunk.IntegrationTests.Cdr;

/// <summary>
/// CONTRACT.md §5: records are never lost. The real host writes to a real PostgreSQL server that is killed in the
/// middle of a run (pg_ctl stop -m immediate) and started again: every call's record is there afterwards, once.
/// </summary>
public sealed class CallRecordOutageTests
{
    private const string Carrier = "carrier-1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PostgresKilledMidRun_EveryRecordStoredOnceWhenItReturns()
    {
        await using var postgres = new PostgresServer();
        await postgres.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("siptrunk_outage");
        await using var fixture = new ProxyFixture(Carrier);
        var carrier = await fixture.StartCarrierAsync(Carrier, SippScenarios.Uas);
        var config = fixture.NewConfig() with { StorageProvider = "postgresql", StorageConnectionString = connectionString };
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier(Carrier, carrier.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("", Carrier));
        var sipTrunk = await fixture.StartSipTrunkAsync(config);
        var peer = await fixture.StartPeerAsync();
        await using var store = new PostgresCallRecordStore(connectionString);

        var before = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 10, callsPerSecond: 10, Bound);
        Assert.True(before.Statistics.SuccessfulCalls == 10, fixture.Describe(before));
        await WaitForRecordsAsync(store, 10, fixture);

        // The database dies; calls go on and their records wait on disk.
        await postgres.StopAsync(immediate: true);
        var during = await ProxyFixture.RunCallsAsync(peer, SippScenarios.Uac, calls: 15, callsPerSecond: 10, Bound);
        Assert.True(during.Statistics.SuccessfulCalls == 15, fixture.Describe(during));
        Assert.True(await sipTrunk.WaitForOutputAsync("records are spooled to disk", Bound), fixture.Describe());

        await postgres.StartAgainAsync();
        var records = await WaitForRecordsAsync(store, 25, fixture);

        Assert.Equal(25, records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(25, records.Select(r => r.CallId).Distinct().Count());
        Assert.All(records, r => Assert.Equal(("answered", 200, Carrier), (r.Status, r.SipCode, r.Carrier)));
        Assert.True(await sipTrunk.WaitForOutputAsync("Replayed", Bound), fixture.Describe());
    }

    private static async Task<IReadOnlyList<CallRecord>> WaitForRecordsAsync(ICallRecordStore store, int count, ProxyFixture fixture)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            IReadOnlyList<CallRecord> items = [];
            try
            {
                items = (await store.QueryAsync(new CallRecordQuery { Limit = 1000 }, CancellationToken.None)).Items;
            }
            catch (Npgsql.NpgsqlException)
            {
                // The schema appears with the first write; the server may still be starting.
            }

            if (items.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(items.Count == count, $"{items.Count} records, expected {count}\n{fixture.Describe()}");
                return items;
            }

            await Task.Delay(200);
        }
    }
}
