using System.Globalization;
using System.Text;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Tests.Admin;

/// <summary>An <see cref="ICallRecordStore"/> in a list: the query semantics of the real stores, newest first, opaque cursors.</summary>
internal sealed class InMemoryCallRecordStore : ICallRecordStore
{
    private readonly List<CallRecord> _records = [];

    /// <summary>What <see cref="PingAsync"/> answers.</summary>
    public bool Reachable { get; set; } = true;

    /// <summary>When set, every call throws it (an outage).</summary>
    public Exception? Failure { get; set; }

    /// <summary>The queries received, in order.</summary>
    public List<CallRecordQuery> Queries { get; } = [];

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task InsertAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_records)
        {
            _records.AddRange(records.Where(r => !_records.Exists(e => e.Id == r.Id)));
        }

        return Task.CompletedTask;
    }

    public Task<CallRecordPage> QueryAsync(CallRecordQuery query, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        Queries.Add(query);
        IEnumerable<CallRecord> matches;
        lock (_records)
        {
            matches = [.. _records.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)];
        }

        matches = matches.Where(r =>
            (query.Since is not { } since || r.StartedAt >= since)
            && (query.Until is not { } until || r.StartedAt < until)
            && (query.Peer is null || r.Peer == query.Peer)
            && (query.Carrier is null || r.Carrier == query.Carrier)
            && (query.Status is null || r.Status == query.Status)
            && (query.Number is null || $"{r.From} {r.To} {r.RequestUri}".Contains(query.Number, StringComparison.Ordinal)));
        if (query.Cursor is { } cursor)
        {
            var (startedAt, id) = Decode(cursor);
            matches = matches.Where(r => r.StartedAt < startedAt || (r.StartedAt == startedAt && string.CompareOrdinal(r.Id, id) < 0));
        }

        var page = matches.Take(query.Limit + 1).ToList();
        var next = page.Count > query.Limit ? Encode(page[query.Limit - 1]) : null;
        return Task.FromResult(new CallRecordPage([.. page.Take(query.Limit)], next));
    }

    public Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_records)
        {
            return Task.FromResult(_records.Find(r => r.Id == id) ?? _records.Where(r => r.CallId == id).MaxBy(r => r.StartedAt));
        }
    }

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        return Task.FromResult(Reachable);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Encode(CallRecord record) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(record.StartedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "|" + record.Id));

    private static (DateTimeOffset StartedAt, string Id) Decode(string cursor)
    {
        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|', 2);
        if (parts.Length != 2)
        {
            throw new FormatException("not a cursor");
        }

        return (new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero), parts[1]);
    }

    private void ThrowIfFailing()
    {
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}
