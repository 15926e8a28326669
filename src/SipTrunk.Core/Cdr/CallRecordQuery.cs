namespace SipTrunk.Core.Cdr;

/// <summary>
/// A filter over call records (CONTRACT.md §2 <c>calls</c>, §4 <c>/api/calls</c>); every criterion optional. Results
/// are newest first (by <see cref="CallRecord.StartedAt"/>, then <see cref="CallRecord.Id"/>).
/// </summary>
public sealed record CallRecordQuery
{
    /// <summary>Calls started at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Calls started before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Exact peer name.</summary>
    public string? Peer { get; init; }

    /// <summary>Exact carrier name.</summary>
    public string? Carrier { get; init; }

    /// <summary>Exact status (<c>answered</c>, <c>busy</c>, …).</summary>
    public string? Status { get; init; }

    /// <summary>A number (or part of one) found in From, To or the Request-URI.</summary>
    public string? Number { get; init; }

    /// <summary>At most this many records (1–1000).</summary>
    public int Limit { get; init; } = 50;

    /// <summary>The <see cref="CallRecordPage.NextCursor"/> of the previous page (opaque).</summary>
    public string? Cursor { get; init; }
}
