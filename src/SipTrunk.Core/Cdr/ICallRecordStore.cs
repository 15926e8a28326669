namespace SipTrunk.Core.Cdr;

/// <summary>
/// Where call records live (SQLite by default, PostgreSQL for several nodes). Implementations are safe for concurrent
/// use, create or migrate their schema in <see cref="InitializeAsync"/>, and throw on an unreachable database (the
/// writer spools and retries).
/// </summary>
public interface ICallRecordStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores records in one transaction; a record whose <see cref="CallRecord.Id"/> is already stored is skipped.</summary>
    Task InsertAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken);

    /// <summary>Records matching the query, newest first.</summary>
    Task<CallRecordPage> QueryAsync(CallRecordQuery query, CancellationToken cancellationToken);

    /// <summary>One record by <see cref="CallRecord.Id"/> (or, failing that, the newest with that SIP Call-ID).</summary>
    Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes records that ended before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Whether the database answers now (for <c>/readyz</c>).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
