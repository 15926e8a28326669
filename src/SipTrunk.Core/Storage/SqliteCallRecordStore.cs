using SipTrunk.Core.Cdr;

namespace SipTrunk.Core.Storage;

/// <summary>STUB: call records in SQLite (the storage helper implements it).</summary>
public sealed class SqliteCallRecordStore : ICallRecordStore
{
    private readonly string _connectionString;

    public SqliteCallRecordStore(string connectionString) => _connectionString = connectionString;

    public Task InitializeAsync(CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task InsertAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<CallRecordPage> QueryAsync(CallRecordQuery query, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<bool> PingAsync(CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
