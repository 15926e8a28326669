namespace SipTrunk.Configuration;

/// <summary><c>Listeners[]</c>: one socket SipTrunk accepts SIP on.</summary>
internal sealed record ListenerOptions
{
    public string Name { get; init; } = "";

    public SipTransport Transport { get; init; } = SipTransport.Tls;

    public string Address { get; init; } = "0.0.0.0";

    public int Port { get; init; } = 5061;

    /// <summary>
    /// Only meaningful on TLS listeners; <see langword="null"/> there means <see cref="ClientCertificateMode.Require"/>
    /// (see <see cref="EffectiveClientCertificate"/>) because peers are identified by their certificate.
    /// </summary>
    public ClientCertificateMode? ClientCertificate { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>The client-certificate mode in force: <see cref="ClientCertificateMode.None"/> on non-TLS listeners.</summary>
    public ClientCertificateMode EffectiveClientCertificate =>
        Transport == SipTransport.Tls ? ClientCertificate ?? ClientCertificateMode.Require : ClientCertificateMode.None;
}
