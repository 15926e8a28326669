using System.Net;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Registrar;
using RegistrarService = SipTrunk.Core.Registrar.Registrar;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// What the proxy uses to prove, limit and locate peers: digest challenges, failure bans, call limits, the registrar
/// and its location service. Each part is optional so the proxy core can be tested without the others.
/// </summary>
public sealed record PeerServices
{
    /// <summary>Challenges and checks digest credentials of peers that have <c>Digest</c> configured.</summary>
    public DigestServerAuthenticator? Digest { get; init; }

    /// <summary>Counts failed authentications and bans their sources.</summary>
    public AuthFailureTracker? Failures { get; init; }

    /// <summary>Closes every connection of a source that has just been banned (the transports' job).</summary>
    public Action<IPAddress>? DisconnectBanned { get; init; }

    /// <summary>Per-peer <c>MaxCallsPerSecond</c> and <c>MaxConcurrentCalls</c>.</summary>
    public PeerCallLimiter? CallLimiter { get; init; }

    /// <summary>REGISTER handling; without it REGISTER gets 405.</summary>
    public RegistrarService? Registrar { get; init; }

    /// <summary>Registered contacts for inbound calls.</summary>
    public LocationService? Locations { get; init; }

    /// <summary>One refusal log line per source and reason per minute.</summary>
    public KeyedLogThrottle? RefusalLog { get; init; }
}
