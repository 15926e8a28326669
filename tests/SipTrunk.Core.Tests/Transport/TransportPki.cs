using System.Security.Cryptography.X509Certificates;
using SipTrunk.Core.Certificates;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>
/// Certificates for transport tests, issued once per test class: our CA and a stranger's, SipTrunk's server certificate,
/// a carrier's, and peer certificates good and bad.
/// </summary>
public sealed class TransportPki : IDisposable
{
    public TransportPki()
    {
        var ca = DevCertificateAuthority.Create();
        var otherCa = DevCertificateAuthority.Create("Some Other CA");
        var now = DateTimeOffset.UtcNow;
        Ca = ca.Certificate.ToPublicX509Certificate2();
        OtherCa = otherCa.Certificate.ToPublicX509Certificate2();
        Server = ca.Issue(CertificateRequestSpec.ForServer()).ToX509Certificate2();
        Carrier = ca.Issue(CertificateRequestSpec.ForCarrier("carrier-1")).ToX509Certificate2();
        Peer = ca.Issue(CertificateRequestSpec.ForPeer("pbx-a")).ToX509Certificate2();
        OtherCaPeer = otherCa.Issue(CertificateRequestSpec.ForPeer("pbx-a")).ToX509Certificate2();
        ExpiredPeer = ca.Issue(CertificateRequestSpec.ForPeer("pbx-old") with
        {
            NotBefore = now.AddDays(-30),
            NotAfter = now.AddDays(-1),
        }).ToX509Certificate2();
        ServerAuthOnlyPeer = ca.Issue(CertificateRequestSpec.ForPeer("pbx-b") with
        {
            ExtendedKeyUsages = ExtendedKeyUsages.ServerAuth,
        }).ToX509Certificate2();
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 OtherCa { get; }

    /// <summary>SipTrunk's own: CN localhost, SAN localhost/127.0.0.1/::1, serverAuth + clientAuth.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>carrier-1: SAN carrier-1/localhost/127.0.0.1, serverAuth + clientAuth.</summary>
    public X509Certificate2 Carrier { get; }

    /// <summary>pbx-a: SAN DNS pbx-a, clientAuth.</summary>
    public X509Certificate2 Peer { get; }

    public X509Certificate2 OtherCaPeer { get; }

    public X509Certificate2 ExpiredPeer { get; }

    public X509Certificate2 ServerAuthOnlyPeer { get; }

    public X509Certificate2Collection TrustedCas => [Ca];

    /// <summary>TLS settings presenting <paramref name="certificate"/> (default: <see cref="Server"/>) and trusting our CA.</summary>
    public TlsSettings Tls(X509Certificate2? certificate = null) => new()
    {
        ServerCertificate = certificate ?? Server,
        TrustedCaCertificates = TrustedCas,
    };

    public void Dispose()
    {
        foreach (var certificate in new[] { Ca, OtherCa, Server, Carrier, Peer, OtherCaPeer, ExpiredPeer, ServerAuthOnlyPeer })
        {
            certificate.Dispose();
        }
    }
}
