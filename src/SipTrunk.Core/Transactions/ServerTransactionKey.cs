using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transactions;

/// <summary>
/// RFC 3261 §17.2.3: a request matches a server transaction by the branch and sent-by of its top Via and its method,
/// where an ACK matches the INVITE it acknowledges. Branch and sent-by compare case-insensitively (§7.3.1: parameter
/// values and hosts are case-insensitive unless stated otherwise); the method compares exactly (§7.1).
/// </summary>
internal readonly struct ServerTransactionKey : IEquatable<ServerTransactionKey>
{
    private ServerTransactionKey(string branch, string sentBy, string method)
    {
        Branch = branch;
        SentBy = sentBy;
        Method = method;
    }

    public string Branch { get; }

    public string SentBy { get; }

    public string Method { get; }

    /// <summary>
    /// The key of <paramref name="request"/>, or false when its top Via is unusable or its branch lacks the RFC 3261
    /// magic cookie (RFC 2543 matching is not supported: such requests are refused).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="methodOverride">The method to key by instead of the request's (INVITE for an ACK or a CANCEL lookup).</param>
    /// <param name="key">The key.</param>
    public static bool TryCreate(SipRequest request, string? methodOverride, out ServerTransactionKey key)
    {
        if (request.Via is not { HasMagicCookie: true } via)
        {
            key = default;
            return false;
        }

        var sentBy = via.Port is { } port ? $"{via.Host}:{port}" : via.Host;
        key = new ServerTransactionKey(via.Branch!, sentBy, methodOverride ?? request.MethodName);
        return true;
    }

    /// <summary>The key of the request that created <paramref name="request"/>'s transaction: an ACK's is its INVITE's.</summary>
    public static bool TryCreate(SipRequest request, out ServerTransactionKey key) =>
        TryCreate(request, request.Method == SipMethod.Ack ? SipMethods.Invite : null, out key);

    public bool Equals(ServerTransactionKey other) =>
        string.Equals(Branch, other.Branch, StringComparison.OrdinalIgnoreCase)
        && string.Equals(SentBy, other.SentBy, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Method, other.Method, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ServerTransactionKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(Branch),
        StringComparer.OrdinalIgnoreCase.GetHashCode(SentBy),
        StringComparer.Ordinal.GetHashCode(Method));

    public static bool operator ==(ServerTransactionKey left, ServerTransactionKey right) => left.Equals(right);

    public static bool operator !=(ServerTransactionKey left, ServerTransactionKey right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"{Branch} {SentBy} {Method}";
}
