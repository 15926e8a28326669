namespace SipTrunk.Configuration;

/// <summary>
/// The validated <c>SipTrunk</c> configuration section (CONTRACT.md §3). Immutable: a reload builds a new
/// instance and swaps it, nothing is mutated in place. Defaults are those of the contract's example.
/// </summary>
internal sealed record SipTrunkOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "SipTrunk";

    public string Domain { get; init; } = "";

    public IReadOnlyList<ListenerOptions> Listeners { get; init; } = [];

    public TlsOptions Tls { get; init; } = new();

    public IReadOnlyList<PeerOptions> Peers { get; init; } = [];

    public IReadOnlyList<CarrierOptions> Carriers { get; init; } = [];

    public IReadOnlyList<RouteOptions> Routes { get; init; } = [];

    public RoutingOptions Routing { get; init; } = new();

    public TimersOptions Timers { get; init; } = new();

    public DigestOptions Digest { get; init; } = new();

    public MediaOptions Media { get; init; } = new();

    public LimitsOptions Limits { get; init; } = new();

    public SipOptions Sip { get; init; } = new();

    public StorageOptions Storage { get; init; } = new();

    public AdminOptions Admin { get; init; } = new();

    /// <summary>How long active calls may run on after SIGINT/SIGTERM; also the host's shutdown timeout.</summary>
    public int DrainSeconds { get; init; } = 30;
}
