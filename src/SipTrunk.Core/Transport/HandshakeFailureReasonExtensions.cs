namespace SipTrunk.Core.Transport;

/// <summary>Names of <see cref="HandshakeFailureReason"/> values as metric labels and log reasons.</summary>
public static class HandshakeFailureReasonExtensions
{
    /// <summary>The lower-case, dash-separated label (<c>no-certificate</c>, <c>wrong-usage</c>, …; CONTRACT.md §4).</summary>
    public static string ToLabel(this HandshakeFailureReason reason) => reason switch
    {
        HandshakeFailureReason.NoCertificate => "no-certificate",
        HandshakeFailureReason.Untrusted => "untrusted",
        HandshakeFailureReason.Expired => "expired",
        HandshakeFailureReason.WrongUsage => "wrong-usage",
        HandshakeFailureReason.Revoked => "revoked",
        HandshakeFailureReason.UnknownIdentity => "unknown-identity",
        HandshakeFailureReason.Protocol => "protocol",
        HandshakeFailureReason.Timeout => "timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
