using System.Collections.Concurrent;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Core.Tests.Cdr;

/// <summary>An in-memory store that can be switched off (every call throws) to play a database outage.</summary>
internal sealed class MemoryCallRecordStore : ICallRecordStore
{
    private readonly ConcurrentDictionary<string, CallRecord> _records = new(StringComparer.Ordinal);

    public volatile bool Down;

    /// <summary>Inserts left before the store goes down by itself (an outage in the middle of a replay).</summary>
    public int InsertsBeforeOutage = int.MaxValue;

    public int InsertCalls;

    public int DuplicateInserts;

    public IReadOnlyCollection<CallRecord> Records => [.. _records.Values];

    public Task InitializeAsync(CancellationToken cancellationToken) => Check();

    public Task InsertAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref InsertsBeforeOutage) < 0)
        {
            Down = true;
        }

        Check().GetAwaiter().GetResult();
        Interlocked.Increment(ref InsertCalls);
        foreach (var record in records)
        {
            if (!_records.TryAdd(record.Id, record))
            {
                Interlocked.Increment(ref DuplicateInserts);
            }
        }

        return Task.CompletedTask;
    }

    public Task<CallRecordPage> QueryAsync(CallRecordQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(new CallRecordPage([.. _records.Values.OrderByDescending(r => r.StartedAt).Take(query.Limit)], null));

    public Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_records.TryGetValue(id, out var record) ? record : null);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var old = _records.Values.Where(r => r.EndedAt < before).ToList();
        foreach (var record in old)
        {
            _records.TryRemove(record.Id, out _);
        }

        return Task.FromResult(old.Count);
    }

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(!Down);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task Check() => Down ? throw new IOException("database unreachable") : Task.CompletedTask;
}
