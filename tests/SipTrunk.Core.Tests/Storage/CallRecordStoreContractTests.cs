using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SipTrunk.Core.Cdr;
using static SipTrunk.Core.Tests.Storage.CallRecordSamples;

namespace SipTrunk.Core.Tests.Storage;

/// <summary>
/// What every <see cref="ICallRecordStore"/> must do (CONTRACT.md §2 <c>calls</c>, §4 <c>/api/calls</c>, §5), run
/// against each store on a real database: a fresh, empty one per test.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public abstract class CallRecordStoreContractTests : IAsyncLifetime
{
    // A hang guard, not a timed assertion: a lock that never frees fails the test instead of the run.
    private readonly CancellationTokenSource _hangGuard = new(TimeSpan.FromSeconds(90));
    private readonly List<ICallRecordStore> _stores = [];

    protected CancellationToken Ct => _hangGuard.Token;

    /// <summary>The test's own empty database.</summary>
    protected string ConnectionString { get; private set; } = string.Empty;

    /// <summary>A database nobody can reach (no server on the port, no such folder).</summary>
    protected abstract string UnreachableConnectionString { get; }

    public async Task InitializeAsync() => ConnectionString = await CreateEmptyDatabaseAsync(Ct);

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await DisposeDatabaseAsync();
        _hangGuard.Dispose();
    }

    [Fact]
    public async Task InitializeAsync_EmptyDatabase_CreatesEmptyTableAtSchemaVersion1()
    {
        await OpenAsync();

        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM call_records"));
        Assert.Equal(1L, await CountAsync("SELECT version FROM siptrunk_schema WHERE component = 'call_records'"));
    }

    [Fact]
    public async Task InitializeAsync_TwiceAndFromANewInstance_KeepsRecords()
    {
        var store = await OpenAsync();
        await store.InsertAsync([Record("a"), Record("b", 1)], Ct);
        await store.InitializeAsync(Ct);

        var reopened = await OpenAsync();

        Assert.Equal(["b", "a"], Ids(await reopened.QueryAsync(new CallRecordQuery(), Ct)));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM siptrunk_schema"));
    }

    [Fact]
    public async Task InitializeAsync_NewerSchemaVersion_ThrowsInvalidOperation()
    {
        await OpenAsync();
        await ExecuteAsync("UPDATE siptrunk_schema SET version = 99 WHERE component = 'call_records'");

        var store = NewStore();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Ct));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsertAsync_FullRecord_RoundTripsEveryField()
    {
        var store = await OpenAsync();
        var full = Full("0195a3c0-full");

        await store.InsertAsync([full], Ct);
        var byId = await store.GetAsync(full.Id, Ct);
        var listed = Assert.Single((await store.QueryAsync(new CallRecordQuery(), Ct)).Items);

        AssertSame(full, byId);
        AssertSame(full, listed);
        Assert.Equal(full.StartedAt, listed.StartedAt);
        Assert.Equal(full.Attempts, listed.Attempts);
        Assert.Equal(full.Tls, listed.Tls);
        Assert.Equal(full.Media, listed.Media);
    }

    [Fact]
    public async Task InsertAsync_MinimalRecord_RoundTripsNulls()
    {
        var store = await OpenAsync();
        var minimal = Record("min") with { Peer = null, Carrier = null, From = null, To = null, RequestUri = null, SipCode = 0 };

        await store.InsertAsync([minimal], Ct);

        var stored = await store.GetAsync("min", Ct);
        AssertSame(minimal, stored);
        Assert.Null(stored!.Tls);
        Assert.Null(stored.Media);
        Assert.Empty(stored.Attempts);
    }

    [Fact]
    public async Task InsertAsync_NulAndOddCharactersInFields_StoresSearchesAndRoundTrips()
    {
        var store = await OpenAsync();
        var odd = Record("odd") with { From = "<sip:+49\0evil@x.example>", SipReason = "Bad\0Reason", Peer = "p\0eer" };

        await store.InsertAsync([odd], Ct);

        AssertSame(odd, await store.GetAsync("odd", Ct));
        Assert.Equal(["odd"], Ids(await store.QueryAsync(new CallRecordQuery { Number = "evil" }, Ct)));
    }

    [Fact]
    public async Task InsertAsync_SameIdAgain_KeepsTheFirstAndStoresOneRow()
    {
        var store = await OpenAsync();
        var first = Record("dup");
        await store.InsertAsync([first], Ct);

        // A spool replay: the same record again, next to a new one, and twice within one batch.
        await store.InsertAsync([first with { Status = "failed" }, Record("new", 5), Record("new", 5)], Ct);

        Assert.Equal(2L, await CountAsync("SELECT COUNT(*) FROM call_records"));
        Assert.Equal("answered", (await store.GetAsync("dup", Ct))!.Status);
    }

    [Fact]
    public async Task InsertAsync_EmptyBatch_StoresNothing()
    {
        var store = await OpenAsync();

        await store.InsertAsync([], Ct);

        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM call_records"));
    }

    [Fact]
    public async Task InsertAsync_OneRecordRejectedByTheDatabase_StoresNoneOfTheBatch()
    {
        var store = await OpenAsync();
        await ExecuteAsync(RejectInsertSql("bad"));

        await Assert.ThrowsAnyAsync<DbException>(() => store.InsertAsync([Record("good1"), Record("bad", 1), Record("good2", 2)], Ct));

        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM call_records"));
        await store.InsertAsync([Record("good1")], Ct);
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM call_records"));
    }

    [Fact]
    public async Task InsertAsync_RecordWithoutStatus_ThrowsArgumentAndStoresNothing()
    {
        var store = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.InsertAsync([Record("ok"), Record("broken") with { Status = null! }], Ct));

        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM call_records"));
    }

    [Fact]
    public async Task InsertAsync_ConcurrentBatchesFromTwoInstances_StoresEveryRecordOnce()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        // Four writers, each 10 batches of 10; writers 0/1 and 2/3 write the same ids (replays racing each other).
        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            var store = writer % 2 == 0 ? first : second;
            for (var batch = 0; batch < 10; batch++)
            {
                var records = Enumerable.Range(0, 10)
                    .Select(i => Record(string.Create(CultureInfo.InvariantCulture, $"w{writer / 2}-{batch:D2}-{i}"), (batch * 10) + i))
                    .ToList();
                await store.InsertAsync(records, Ct);
            }
        })));

        Assert.Equal(200L, await CountAsync("SELECT COUNT(*) FROM call_records"));
    }

    [Fact]
    public async Task QueryAsync_NoFilter_NewestFirstAndTiesByIdDescending()
    {
        var store = await OpenAsync();
        await store.InsertAsync([Record("b", 5), Record("a", 10), Record("d", 5), Record("c", 0), Record("e", 5)], Ct);

        var page = await store.QueryAsync(new CallRecordQuery(), Ct);

        Assert.Equal(["a", "e", "d", "b", "c"], Ids(page));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task QueryAsync_StartedAtBoundaries_SinceInclusiveUntilExclusiveToTheMicrosecond()
    {
        var store = await OpenAsync();
        var at = T0.AddTicks(123_456_780);
        await store.InsertAsync([Record("before") with { StartedAt = at.AddTicks(-10) }, Record("at") with { StartedAt = at }, Record("after") with { StartedAt = at.AddTicks(10) }], Ct);

        Assert.Equal(["after", "at"], Ids(await store.QueryAsync(new CallRecordQuery { Since = at }, Ct)));
        Assert.Equal(["after"], Ids(await store.QueryAsync(new CallRecordQuery { Since = at.AddTicks(10) }, Ct)));
        Assert.Equal(["before"], Ids(await store.QueryAsync(new CallRecordQuery { Until = at }, Ct)));
        Assert.Equal(["at"], Ids(await store.QueryAsync(new CallRecordQuery { Since = at, Until = at.AddTicks(10) }, Ct)));
        Assert.Equal(["at"], Ids(await store.QueryAsync(new CallRecordQuery { Since = at.ToOffset(TimeSpan.FromHours(5)), Until = at.AddTicks(10).ToOffset(TimeSpan.FromHours(-7)) }, Ct)));
    }

    [Theory]
    [InlineData("peer", "pbx1", new[] { "r3", "r1" })]
    [InlineData("peer", "pbx2", new[] { "r5", "r2" })]
    [InlineData("peer", "PBX1", new string[0])]
    [InlineData("carrier", "carrier-b", new[] { "r3", "r2" })]
    [InlineData("status", "answered", new[] { "r5", "r1" })]
    [InlineData("status", "no-answer", new[] { "r4" })]
    [InlineData("number", "4989000", new[] { "r2" })]
    [InlineData("number", "+4930", new[] { "r4", "r2", "r1" })]
    [InlineData("number", "30111", new[] { "r1" })]
    [InlineData("number", "%_", new[] { "r3" })]
    [InlineData("number", "7000", new[] { "r3" })]
    [InlineData("number", "+4999", new string[0])]
    [InlineData("number", "", new[] { "r5", "r4", "r3", "r2", "r1" })]
    [InlineData("peer", " ", new[] { "r5", "r4", "r3", "r2", "r1" })]
    public async Task QueryAsync_OneFilter_ReturnsExactlyTheMatches(string filter, string value, string[] expected)
    {
        var store = await OpenWithFilterSamplesAsync();
        var query = filter switch
        {
            "peer" => new CallRecordQuery { Peer = value },
            "carrier" => new CallRecordQuery { Carrier = value },
            "status" => new CallRecordQuery { Status = value },
            _ => new CallRecordQuery { Number = value },
        };

        Assert.Equal(expected, Ids(await store.QueryAsync(query, Ct)));
    }

    [Fact]
    public async Task QueryAsync_CombinedFilters_ReturnsTheIntersection()
    {
        var store = await OpenWithFilterSamplesAsync();

        Assert.Equal(["r5"], Ids(await store.QueryAsync(new CallRecordQuery { Peer = "pbx2", Status = "answered" }, Ct)));
        Assert.Equal(["r3"], Ids(await store.QueryAsync(new CallRecordQuery { Peer = "pbx1", Carrier = "carrier-b", Since = T0.AddSeconds(10) }, Ct)));
        Assert.Equal(["r2"], Ids(await store.QueryAsync(new CallRecordQuery { Number = "+4930", Since = T0.AddSeconds(10), Until = T0.AddSeconds(30) }, Ct)));
        Assert.Empty(Ids(await store.QueryAsync(new CallRecordQuery { Peer = "pbx1", Status = "busy" }, Ct)));
        Assert.Equal(["r4", "r3", "r2"], Ids(await store.QueryAsync(new CallRecordQuery { Since = T0.AddSeconds(10), Until = T0.AddSeconds(40) }, Ct)));
    }

    [Fact]
    public async Task QueryAsync_OddParameters_NeverThrow()
    {
        var store = await OpenWithFilterSamplesAsync();

        Assert.Equal(5, (await store.QueryAsync(new CallRecordQuery { Since = DateTimeOffset.MinValue, Until = DateTimeOffset.MaxValue }, Ct)).Items.Count);
        Assert.Empty((await store.QueryAsync(new CallRecordQuery { Since = T0.AddSeconds(30), Until = T0 }, Ct)).Items);
        Assert.Empty((await store.QueryAsync(new CallRecordQuery { Peer = "\0", Carrier = "\uD800", Status = "'; DROP TABLE call_records; --" }, Ct)).Items);
        Assert.Empty((await store.QueryAsync(new CallRecordQuery { Number = "\uDC00\0" + new string('9', 10_000) }, Ct)).Items);
        Assert.Equal(5L, await CountAsync("SELECT COUNT(*) FROM call_records"));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-7, 1)]
    [InlineData(int.MinValue, 1)]
    [InlineData(3, 3)]
    [InlineData(int.MaxValue, 1000)]
    public async Task QueryAsync_Limit_ClampedTo1Through1000(int limit, int expected)
    {
        var store = await OpenAsync();
        await store.InsertAsync([.. Enumerable.Range(0, 1001).Select(i => Record(Id(i), i))], Ct);

        var page = await store.QueryAsync(new CallRecordQuery { Limit = limit }, Ct);

        Assert.Equal(expected, page.Items.Count);
        Assert.NotNull(page.NextCursor);
    }

    [Theory]
    [InlineData(120, 50, new[] { 50, 50, 20 })]
    [InlineData(120, 40, new[] { 40, 40, 40 })]
    [InlineData(7, 1000, new[] { 7 })]
    public async Task QueryAsync_PagesThroughTheCursor_WithoutGapsOrDuplicates(int count, int limit, int[] pageSizes)
    {
        var store = await OpenAsync();

        // Three records share each start instant, so page edges fall inside ties that only the id orders.
        var records = Enumerable.Range(0, count).Select(i => Record(Id(i), i / 3)).ToList();
        await store.InsertAsync([.. records.OrderBy(r => r.CallId.GetHashCode(StringComparison.Ordinal))], Ct);

        var pages = await ReadAllPagesAsync(store, new CallRecordQuery { Limit = limit });

        Assert.Equal(pageSizes, pages.Select(p => p.Items.Count));
        Assert.All(pages.SkipLast(1), p => Assert.NotNull(p.NextCursor));
        Assert.Null(pages[^1].NextCursor);
        var expected = records.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id);
        Assert.Equal(expected, pages.SelectMany(Ids));
    }

    [Fact]
    public async Task QueryAsync_CursorWithFilter_PagesOnlyMatchingRecords()
    {
        var store = await OpenAsync();
        var records = Enumerable.Range(0, 30).Select(i => Record(Id(i), i) with { Peer = i % 3 == 0 ? "pbx3" : "pbx1" }).ToList();
        await store.InsertAsync(records, Ct);

        var pages = await ReadAllPagesAsync(store, new CallRecordQuery { Peer = "pbx3", Limit = 4 });

        Assert.Equal([4, 4, 2], pages.Select(p => p.Items.Count));
        Assert.Equal(records.Where(r => r.Peer == "pbx3").Reverse().Select(r => r.Id), pages.SelectMany(Ids));
    }

    [Fact]
    public async Task QueryAsync_NewerRecordsArriveBetweenPages_NextPageContinuesWhereTheFirstEnded()
    {
        var store = await OpenAsync();
        await store.InsertAsync([.. Enumerable.Range(0, 10).Select(i => Record(Id(i), i))], Ct);
        var first = await store.QueryAsync(new CallRecordQuery { Limit = 5 }, Ct);

        await store.InsertAsync([Record("newest", 100)], Ct);
        var second = await store.QueryAsync(new CallRecordQuery { Limit = 5, Cursor = first.NextCursor }, Ct);

        Assert.Equal([Id(4), Id(3), Id(2), Id(1), Id(0)], Ids(second));
        Assert.Null(second.NextCursor);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("AAAA")]
    [InlineData("AgAAAAAAAAAAYQ")]
    [InlineData("AQAAAAAAAAAA")]
    [InlineData("AQAAAAAAAAAA_w")]
    public async Task QueryAsync_CursorNotIssuedByTheStore_EmptyPage(string cursor)
    {
        var store = await OpenWithFilterSamplesAsync();

        var page = await store.QueryAsync(new CallRecordQuery { Cursor = cursor }, Ct);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task QueryAsync_EmptyCursor_FirstPage()
    {
        var store = await OpenWithFilterSamplesAsync();

        Assert.Equal(5, (await store.QueryAsync(new CallRecordQuery { Cursor = string.Empty }, Ct)).Items.Count);
    }

    [Fact]
    public async Task GetAsync_ById_ReturnsThatRecordEvenWhenAnotherHasItAsCallId()
    {
        var store = await OpenAsync();
        await store.InsertAsync([Record("x1") with { CallId = "shared" }, Record("shared", -100) with { CallId = "other" }], Ct);

        Assert.Equal("x1", (await store.GetAsync("x1", Ct))?.Id);
        Assert.Equal("shared", (await store.GetAsync("shared", Ct))?.Id);
    }

    [Fact]
    public async Task GetAsync_ByCallId_ReturnsTheNewestRecordOfThatCall()
    {
        var store = await OpenAsync();
        await store.InsertAsync([Record("older", 0) with { CallId = "c@pbx" }, Record("newer", 30) with { CallId = "c@pbx" }, Record("other", 60)], Ct);

        Assert.Equal("newer", (await store.GetAsync("c@pbx", Ct))?.Id);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\0")]
    public async Task GetAsync_UnknownOrEmpty_Null(string id)
    {
        var store = await OpenWithFilterSamplesAsync();

        Assert.Null(await store.GetAsync(id, Ct));
    }

    [Fact]
    public async Task PruneAsync_EndedBefore_DeletesOnlyThoseAndCountsThem()
    {
        var store = await OpenAsync();
        var cut = T0.AddSeconds(100);
        await store.InsertAsync(
        [
            Record("old1") with { EndedAt = cut.AddTicks(-10) },
            Record("old2") with { EndedAt = cut.AddDays(-30) },
            Record("edge") with { EndedAt = cut },
            Record("new") with { EndedAt = cut.AddSeconds(1) },
        ], Ct);

        Assert.Equal(2, await store.PruneAsync(cut, Ct));
        Assert.Equal(0, await store.PruneAsync(cut, Ct));
        Assert.Equal(["edge", "new"], Ids(await store.QueryAsync(new CallRecordQuery(), Ct)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PingAsync_ReachableDatabase_True()
    {
        var store = await OpenAsync();

        Assert.True(await store.PingAsync(Ct));
    }

    [Fact]
    public async Task PingAsync_UnreachableDatabase_FalseWhileOperationsThrow()
    {
        var store = CreateStore(UnreachableConnectionString);
        _stores.Add(store);

        Assert.False(await store.PingAsync(Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => store.InitializeAsync(Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => store.InsertAsync([Record("lost")], Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => store.QueryAsync(new CallRecordQuery(), Ct));
        Assert.False(await store.PingAsync(Ct));
    }

    /// <summary>A fresh empty database; returns its connection string.</summary>
    protected abstract Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken);

    protected abstract ICallRecordStore CreateStore(string connectionString);

    /// <summary>Releases the test's database (after every store is disposed).</summary>
    protected abstract ValueTask DisposeDatabaseAsync();

    /// <summary>Runs <paramref name="sql"/> on the test's database and returns the first column of the first row.</summary>
    protected abstract Task<object?> ScalarAsync(string sql);

    /// <summary>SQL that makes the database refuse to insert a record with id <paramref name="id"/>.</summary>
    protected abstract string RejectInsertSql(string id);

    protected ICallRecordStore NewStore()
    {
        var store = CreateStore(ConnectionString);
        _stores.Add(store);
        return store;
    }

    protected async Task<ICallRecordStore> OpenAsync()
    {
        var store = NewStore();
        await store.InitializeAsync(Ct);
        return store;
    }

    protected async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql), CultureInfo.InvariantCulture);

    protected Task ExecuteAsync(string sql) => ScalarAsync(sql);

    protected static IEnumerable<string> Ids(CallRecordPage page) => page.Items.Select(r => r.Id);

    private static string Id(int i) => "r" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static void AssertSame(CallRecord expected, CallRecord? actual)
    {
        Assert.NotNull(actual);

        // The JSON shape is the contract (§5): identical text means every field, nested ones included, came back.
        Assert.Equal(CallRecordJson.Serialize(expected), CallRecordJson.Serialize(actual));
    }

    private async Task<List<CallRecordPage>> ReadAllPagesAsync(ICallRecordStore store, CallRecordQuery query)
    {
        var pages = new List<CallRecordPage>();
        string? cursor = null;
        do
        {
            var page = await store.QueryAsync(query with { Cursor = cursor }, Ct);
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 100, "the cursor never ends");
        }
        while (cursor is not null);

        return pages;
    }

    private async Task<ICallRecordStore> OpenWithFilterSamplesAsync()
    {
        var store = await OpenAsync();
        await store.InsertAsync(
        [
            Record("r4", 30) with { Peer = null, Carrier = "carrier-a", Status = "no-answer", From = null, To = null, RequestUri = "sip:+4930999@pbx.example.com" },
            Record("r1", 0) with { Peer = "pbx1", Carrier = "carrier-a", Status = "answered", From = "<sip:+4930111@pbx>", To = "<sip:+4940222@c>", RequestUri = "sip:+4940222@c" },
            Record("r5", 40) with { Peer = "pbx2", Carrier = null, Status = "answered", From = "<sip:alice@pbx>", To = "<sip:bob@pbx>", RequestUri = "sip:bob@pbx" },
            Record("r2", 10) with { Peer = "pbx2", Carrier = "carrier-b", Status = "busy", From = "<sip:+4930555@pbx>", To = "<sip:+4989000@c>", RequestUri = "sip:+4989000@c" },
            Record("r3", 20) with { Peer = "pbx1", Carrier = "carrier-b", Status = "failed", From = "<sip:+4940111@pbx>", To = "<sip:7000%_x@c>", RequestUri = "sip:7000@c" },
        ], Ct);
        return store;
    }
}
