namespace SipTrunk.Core.Proxy;

/// <summary>The proxy's own behaviour settings (from <c>Domain</c>, <c>Listeners</c> and <c>Routing</c>).</summary>
public sealed record ProxySettings
{
    /// <summary>The trunk's domain: recognised as local in Request-URIs and Route headers.</summary>
    public string Domain { get; init; } = "";

    /// <summary>Where SipTrunk listens, per transport; the first one of a transport is the one advertised.</summary>
    public IReadOnlyList<LocalEndpoint> LocalEndpoints { get; init; } = [];

    /// <summary>Final responses from a carrier that move the call to the next carrier.</summary>
    public IReadOnlySet<int> FailoverOnCodes { get; init; } = new HashSet<int> { 408, 500, 502, 503, 504 };

    /// <summary>How long one carrier may take to give a final response before it is cancelled and the next is tried.</summary>
    public TimeSpan InviteTimeout { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>The <c>Retry-After</c> value (seconds) on 503s SipTrunk generates when no carrier is left.</summary>
    public int RetryAfterSeconds { get; init; } = 30;

    /// <summary>How long an OPTIONS health probe waits for any response.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
