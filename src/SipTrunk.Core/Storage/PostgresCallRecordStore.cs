using SipTrunk.Core.Cdr;

namespace SipTrunk.Core.Storage;

/// <summary>STUB: call records in PostgreSQL (the storage helper implements it).</summary>
public sealed class PostgresCallRecordStore : ICallRecordStore
{
    private readonly string _connectionString;

    public PostgresCallRecordStore(string connectionString) => _connectionString = connectionString;

    public Task InitializeAsync(CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task InsertAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<CallRecordPage> QueryAsync(CallRecordQuery query, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<bool> PingAsync(CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
