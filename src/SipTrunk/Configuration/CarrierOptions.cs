namespace SipTrunk.Configuration;

/// <summary><c>Carriers[]</c>: an upstream SIP trunk provider.</summary>
internal sealed record CarrierOptions
{
    /// <summary>The value of <see cref="TrustedCaCertificates"/> that selects the operating system's store.</summary>
    public const string SystemTrustStore = "system";

    public string Name { get; init; } = "";

    public string Uri { get; init; } = "";

    /// <summary>SNI and expected certificate name; <see langword="null"/> means the URI host.</summary>
    public string? TlsServerName { get; init; }

    public CertificateIdentityOptions Certificate { get; init; } = new();

    /// <summary>
    /// <see langword="null"/>: <c>Tls.TrustedCaCertificates</c>; <c>["system"]</c>: the operating system's store;
    /// otherwise absolute PEM file paths.
    /// </summary>
    public IReadOnlyList<string>? TrustedCaCertificates { get; init; }

    public int Priority { get; init; } = 1;

    public int Weight { get; init; } = 100;

    public CarrierAuthOptions Auth { get; init; } = new();

    public SrtpPolicy Srtp { get; init; } = SrtpPolicy.Require;

    public HealthCheckOptions HealthCheck { get; init; } = new();

    public int MaxConcurrentCalls { get; init; } = 500;
}
