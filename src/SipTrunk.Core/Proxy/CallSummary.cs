using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Everything the signalling knows about one call when it ends: the raw material of a CallRecord (CONTRACT.md §5).
/// </summary>
public sealed record CallSummary
{
    public required string CallId { get; init; }

    /// <summary><c>outbound</c> (peer → carrier) or <c>inbound</c> (carrier → peer).</summary>
    public required string Direction { get; init; }

    public string? Peer { get; init; }

    public string? Carrier { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? RequestUri { get; init; }

    public string? SourceAddress { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? RingingAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset EndedAt { get; init; }

    /// <summary><c>answered</c>, <c>busy</c>, <c>no-answer</c>, <c>cancelled</c>, <c>failed</c> or <c>rejected</c>.</summary>
    public required string Status { get; init; }

    public int SipCode { get; init; }

    public string? SipReason { get; init; }

    /// <summary><c>caller</c>, <c>callee</c> or <c>proxy</c>.</summary>
    public string? EndedBy { get; init; }

    public string? EndReason { get; init; }

    public IReadOnlyList<CallAttempt> Attempts { get; init; } = [];

    public TlsSessionInfo? InboundTls { get; init; }

    public TlsSessionInfo? OutboundTls { get; init; }

    /// <summary>The call's relayed media (CONTRACT.md §5 <c>media</c>); null when no media was anchored.</summary>
    public Media.MediaCallStats? Media { get; init; }
}
