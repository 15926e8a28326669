using SipTrunk.Core.Media;

namespace SipTrunk.Core.Cdr;

/// <summary>
/// One call's record (CONTRACT.md §5), as stored, listed by <c>siptrunk calls</c> and served by <c>/api/calls</c>.
/// Serialized with camelCase names; <see cref="Id"/> is time-ordered (UUIDv7) and unique, so a record written twice
/// (a spool replay) is stored once.
/// </summary>
public sealed record CallRecord
{
    public required string Id { get; init; }

    public required string CallId { get; init; }

    /// <summary><c>outbound</c> (peer → carrier) or <c>inbound</c> (carrier → peer).</summary>
    public required string Direction { get; init; }

    public string? Peer { get; init; }

    public string? Carrier { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? RequestUri { get; init; }

    public string? SourceAddress { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? RingingAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>Seconds from answer to end; null when never answered.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary><c>answered</c>, <c>busy</c>, <c>no-answer</c>, <c>cancelled</c>, <c>failed</c> or <c>rejected</c>.</summary>
    public required string Status { get; init; }

    public int SipCode { get; init; }

    public string? SipReason { get; init; }

    /// <summary><c>caller</c>, <c>callee</c> or <c>proxy</c>.</summary>
    public string? EndedBy { get; init; }

    public string? EndReason { get; init; }

    public IReadOnlyList<CallRecordAttempt> Attempts { get; init; } = [];

    public CallRecordTls? Tls { get; init; }

    public MediaCallStats? Media { get; init; }
}
