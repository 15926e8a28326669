using System.Globalization;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Tests.Cli;

/// <summary>
/// An in-memory <see cref="ICallRecordStore"/> with the query semantics of CONTRACT.md §4 (newest first, exact peer,
/// carrier and status, number contained in From/To/Request-URI); pages hold at most <see cref="MaxPageSize"/> records
/// so that paging is exercised. Every query is kept for the tests to inspect.
/// </summary>
internal sealed class MemoryCallRecordStore : ICallRecordStore
{
    private readonly List<CallRecord> _records = [];

    public MemoryCallRecordStore(params CallRecord[] records) => _records.AddRange(records);

    public int MaxPageSize { get; init; } = 1000;

    /// <summary>Thrown by every call when set (an unreachable database).</summary>
    public Exception? Failure { get; init; }

    public List<CallRecordQuery> Queries { get; } = [];

    public bool Disposed { get; private set; }

    public Task InitializeAsync(CancellationToken cancellationToken) => Failure is null ? Task.CompletedTask : Task.FromException(Failure);

    public Task InsertAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken)
    {
        _records.AddRange(records.Where(r => !_records.Exists(e => e.Id == r.Id)));
        return Task.CompletedTask;
    }

    public Task<CallRecordPage> QueryAsync(CallRecordQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Queries.Add(query);
        var matching = _records
            .Where(r => query.Since is not { } since || r.StartedAt >= since)
            .Where(r => query.Until is not { } until || r.StartedAt < until)
            .Where(r => query.Peer is null || r.Peer == query.Peer)
            .Where(r => query.Carrier is null || r.Carrier == query.Carrier)
            .Where(r => query.Status is null || r.Status == query.Status)
            .Where(r => query.Number is null || new[] { r.From, r.To, r.RequestUri }.Any(v => v?.Contains(query.Number, StringComparison.Ordinal) == true))
            .OrderByDescending(r => r.StartedAt)
            .ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var offset = query.Cursor is null ? 0 : int.Parse(query.Cursor, CultureInfo.InvariantCulture);
        var take = Math.Min(query.Limit, MaxPageSize);
        var items = matching.Skip(offset).Take(take).ToList();
        var next = offset + items.Count < matching.Count ? (offset + items.Count).ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new CallRecordPage(items, next));
    }

    public Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_records.Find(r => r.Id == id) ?? _records.Where(r => r.CallId == id).MaxBy(r => r.StartedAt));

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(_records.RemoveAll(r => r.EndedAt < before));

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(Failure is null);

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
