using System.Globalization;
using Microsoft.Extensions.Logging;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Transactions;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// The checks a peer's request passes after its certificate named it (CONTRACT.md §3): its <c>AllowedNetworks</c>, its
/// digest credentials (RFC 3261 §22, RFC 8760) with failure counting and bans, and its call limits. Each refusal is
/// answered, counted in <c>siptrunk_requests_refused_total</c> and logged at most once per source and reason per minute,
/// never with credentials; a refused INVITE leaves a <c>rejected</c> call record (<see cref="RejectedCalls"/>).
/// </summary>
internal sealed partial class PeerGate
{
    private readonly SipProxy _proxy;

    public PeerGate(SipProxy proxy) => _proxy = proxy;

    private PeerServices Services => _proxy.Peers;

    /// <summary>False (and 403 sent) when the request comes from outside the peer's <c>AllowedNetworks</c>.</summary>
    public bool IsAllowedNetwork(ServerTransaction transaction, PeerDefinition peer)
    {
        if (IsAllowedNetwork(transaction.Flow.RemoteEndPoint.Address, peer))
        {
            return true;
        }

        Refuse(transaction, peer, "acl", "source address outside AllowedNetworks");
        SipProxy.Respond(transaction, 403, "Forbidden");
        RejectedCalls.Report(_proxy, transaction, "outbound", peer.Name, null, 403, "Forbidden", "acl");
        return false;
    }

    /// <summary>Whether <paramref name="address"/> lies in the peer's <c>AllowedNetworks</c> (or it has none).</summary>
    public static bool IsAllowedNetwork(System.Net.IPAddress address, PeerDefinition peer)
    {
        if (peer.AllowedNetworks.Count == 0)
        {
            return true;
        }

        foreach (var network in peer.AllowedNetworks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the request carries valid digest credentials of <paramref name="peer"/>; otherwise the challenge
    /// (401 for REGISTER, 407 for the rest), 403 or 400 is sent, failures are counted and a ban closes the source's
    /// connections.
    /// </summary>
    public bool Authenticate(ServerTransaction transaction, PeerDefinition peer)
    {
        if (Services.Digest is not { } digest || peer.Credentials is not { } credentials)
        {
            return true;
        }

        var request = transaction.Request;
        // ACK and CANCEL cannot be challenged: they would never be resubmitted (RFC 3261 §22.1).
        if (request.Method is SipMethod.Ack or SipMethod.Cancel)
        {
            return true;
        }

        var isRegister = request.Method == SipMethod.Register;
        var verification = digest.Verify(request, isRegister ? HeaderId.Authorization : HeaderId.ProxyAuthorization, credentials);
        var address = transaction.Flow.RemoteEndPoint.Address;
        switch (verification.Outcome)
        {
            case DigestOutcome.Authenticated:
                Services.Failures?.RecordSuccess(address);
                return true;
            case DigestOutcome.Missing:
                Challenge(transaction, digest, credentials, isRegister, stale: false);
                return false;
            case DigestOutcome.Stale:
                Challenge(transaction, digest, credentials, isRegister, stale: true);
                return false;
        }

        Refuse(transaction, peer, "auth-" + Label(verification.Outcome), verification.Detail ?? verification.Outcome.ToString());
        int code;
        string reason;
        switch (verification.Outcome)
        {
            case DigestOutcome.WrongUser:
                (code, reason) = (403, "Forbidden");
                SipProxy.Respond(transaction, code, reason);
                break;
            case DigestOutcome.Malformed:
                (code, reason) = (400, "Bad Request");
                SipProxy.Respond(transaction, code, reason);
                break;
            default:
                (code, reason) = Challenge(transaction, digest, credentials, isRegister, stale: false);
                break;
        }

        var banned = Services.Failures?.RecordFailure(address) == true;
        if (banned)
        {
            _proxy.Metrics.RequestsRefused.Increment("banned");
            _proxy.Metrics.SourcesBanned.Increment("auth-failures");
            LogBanned(_proxy.Logger, address.ToString(), peer.Name);
            Services.DisconnectBanned?.Invoke(address);
        }

        // Credentials that fail end the call: RFC 3261 §22.2 tells a UAC not to retry rejected credentials, so the new
        // challenge is a refusal too, and the first thing an operator looks for when a PBX "cannot call".
        RejectedCalls.Report(_proxy, transaction, "outbound", peer.Name, null, code, reason, banned ? "banned" : "auth-failed");

        return false;
    }

    /// <summary>True when <paramref name="peer"/> may start another call now (and the call is counted until it ends); else 503 with Retry-After.</summary>
    public bool AdmitCall(ServerTransaction transaction, PeerDefinition peer)
    {
        if (Services.CallLimiter is not { } limiter)
        {
            return true;
        }

        switch (limiter.TryStartCall(peer.Name, peer.MaxCallsPerSecond, peer.MaxConcurrentCalls))
        {
            case CallAdmission.Admitted:
                return true;
            case CallAdmission.RateExceeded:
                Refuse(transaction, peer, "rate-limit", "over MaxCallsPerSecond");
                // One second refills the bucket.
                SipProxy.Respond(transaction, 503, "Service Unavailable", (HeaderId.RetryAfter, "1"));
                RejectedCalls.Report(_proxy, transaction, "outbound", peer.Name, null, 503, "Service Unavailable", "rate-limit");
                return false;
            default:
                Refuse(transaction, peer, "concurrency-limit", "over MaxConcurrentCalls");
                SipProxy.Respond(transaction, 503, "Service Unavailable", (HeaderId.RetryAfter, _proxy.Settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)));
                RejectedCalls.Report(_proxy, transaction, "outbound", peer.Name, null, 503, "Service Unavailable", "concurrency-limit");
                return false;
        }
    }

    /// <summary>
    /// True when <paramref name="peer"/> can take another call from a carrier: its <c>MaxConcurrentCalls</c> counts both
    /// directions (it is the PBX's channel capacity); <c>MaxCallsPerSecond</c> only limits what the peer sends.
    /// </summary>
    public bool AdmitInboundCall(ServerTransaction transaction, PeerDefinition peer, string carrier)
    {
        if (Services.CallLimiter is not { } limiter
            || limiter.TryStartInboundCall(peer.Name, peer.MaxConcurrentCalls))
        {
            return true;
        }

        Refuse(transaction, peer, "concurrency-limit", "inbound call over MaxConcurrentCalls");
        // 486 tells the carrier this trunk is busy, which it can act on (reroute, busy tone) better than a 503.
        SipProxy.Respond(transaction, 486, "Busy Here");
        RejectedCalls.Report(_proxy, transaction, "inbound", peer.Name, carrier, 486, "Busy Here", "concurrency-limit");
        return false;
    }

    private static string Label(DigestOutcome outcome) => outcome switch
    {
        DigestOutcome.Replayed => "replayed",
        DigestOutcome.WrongUser => "wrong-user",
        DigestOutcome.Malformed => "malformed",
        _ => "invalid",
    };

    private static (int Code, string Reason) Challenge(ServerTransaction transaction, DigestServerAuthenticator digest, PeerCredentials credentials, bool isRegister, bool stale)
    {
        var challenges = digest.CreateChallenges(stale, credentials);
        var header = isRegister ? HeaderId.WwwAuthenticate : HeaderId.ProxyAuthenticate;
        var extra = new (HeaderId, string)[challenges.Count];
        for (var i = 0; i < challenges.Count; i++)
        {
            extra[i] = (header, challenges[i]);
        }

        var (code, reason) = isRegister ? (401, "Unauthorized") : (407, "Proxy Authentication Required");
        SipProxy.Respond(transaction, code, reason, extra);
        return (code, reason);
    }

    private void Refuse(ServerTransaction transaction, PeerDefinition peer, string reason, string detail)
    {
        _proxy.Metrics.RequestsRefused.Increment(reason);
        var source = transaction.Flow.RemoteEndPoint.Address.ToString();
        var suppressed = 0;
        if (Services.RefusalLog is { } throttle && !throttle.TryEnter(source + " " + reason, out suppressed))
        {
            return;
        }

        LogRefused(_proxy.Logger, transaction.Request.MethodName, transaction.Request.CallId, peer.Name, source, detail, suppressed);
    }

    [LoggerMessage(EventId = 3220, Level = LogLevel.Warning, Message = "Refused {Method} {CallId} of peer {Peer} from {Source}: {Reason} ({Suppressed} similar refusals not logged)")]
    private static partial void LogRefused(ILogger logger, string method, string? callId, string peer, string source, string reason, int suppressed);

    [LoggerMessage(EventId = 3221, Level = LogLevel.Warning, Message = "Banned {Source} after repeated authentication failures (peer {Peer})")]
    private static partial void LogBanned(ILogger logger, string source, string peer);
}
