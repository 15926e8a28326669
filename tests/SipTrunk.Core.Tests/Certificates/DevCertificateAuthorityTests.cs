using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SipTrunk.Core.Certificates;

namespace SipTrunk.Core.Tests.Certificates;

public class DevCertificateAuthorityTests
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    [Fact]
    public void Create_Default_IsSelfSignedCaWithCriticalConstraintsAndKeyUsage()
    {
        var ca = DevCertificateAuthority.Create();
        using var certificate = ca.Certificate.ToX509Certificate2();

        Assert.Equal("CN=SipTrunk Development CA", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.True(certificate.HasPrivateKey);
        var constraints = Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.Critical);
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        var keyUsage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(keyUsage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, keyUsage.KeyUsages);
        Assert.Single(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalDays, 3649, 3652);
        using var publicKey = certificate.GetECDsaPublicKey();
        Assert.NotNull(publicKey);
        Assert.Equal(256, publicKey.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value);
    }

    [Fact]
    public void Issue_ServerSpec_ChainsToCaWithSansAndBothEkus()
    {
        var ca = DevCertificateAuthority.Create();
        var issued = ca.Issue(CertificateRequestSpec.ForServer(["sip.example.net", "192.0.2.10"]));
        using var server = issued.ToX509Certificate2();
        using var root = ca.Certificate.ToPublicX509Certificate2();

        var (ok, status) = TestChain.Build(server, root);

        Assert.True(ok, status.ToString());
        Assert.True(server.HasPrivateKey);
        Assert.Equal("CN=sip.example.net", server.Subject);
        var san = TestChain.SubjectAlternativeName(server);
        Assert.NotNull(san);
        Assert.Equal(["localhost", "sip.example.net"], san.EnumerateDnsNames().ToArray());
        Assert.Equal(
            [IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("192.0.2.10")],
            san.EnumerateIPAddresses().ToArray());
        Assert.Equal([ServerAuthOid, ClientAuthOid], TestChain.ExtendedKeyUsageOids(server));
        var keyUsage = Assert.Single(server.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(keyUsage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, keyUsage.KeyUsages);
        Assert.False(Assert.Single(server.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Single(server.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.InRange((server.NotAfter - DateTime.Now).TotalDays, 823, 826);
    }

    [Fact]
    public void Issue_DefaultServerSpec_CommonNameIsLocalhost()
    {
        var ca = DevCertificateAuthority.Create();

        using var server = ca.Issue(CertificateRequestSpec.ForServer()).ToX509Certificate2();

        Assert.Equal("CN=localhost", server.Subject);
        Assert.Equal(["localhost"], TestChain.SubjectAlternativeName(server)!.EnumerateDnsNames().ToArray());
    }

    [Fact]
    public void Issue_PeerSpec_ClientAuthOnlyWithDnsName()
    {
        var ca = DevCertificateAuthority.Create();

        using var peer = ca.Issue(CertificateRequestSpec.ForPeer("pbx-a")).ToX509Certificate2();
        using var root = ca.Certificate.ToPublicX509Certificate2();

        Assert.True(TestChain.Build(peer, root).Ok);
        Assert.Equal("CN=pbx-a", peer.Subject);
        Assert.Equal(["pbx-a"], TestChain.SubjectAlternativeName(peer)!.EnumerateDnsNames().ToArray());
        Assert.Empty(TestChain.SubjectAlternativeName(peer)!.EnumerateIPAddresses());
        Assert.Equal([ClientAuthOid], TestChain.ExtendedKeyUsageOids(peer));
    }

    [Fact]
    public void Issue_CarrierSpec_ServerAndClientAuthWithLoopbackNames()
    {
        var ca = DevCertificateAuthority.Create();

        using var carrier = ca.Issue(CertificateRequestSpec.ForCarrier("carrier-1")).ToX509Certificate2();

        var san = TestChain.SubjectAlternativeName(carrier)!;
        Assert.Equal(["carrier-1", "localhost"], san.EnumerateDnsNames().ToArray());
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses().ToArray());
        Assert.Equal([ServerAuthOid, ClientAuthOid], TestChain.ExtendedKeyUsageOids(carrier));
    }

    [Fact]
    public void Issue_UriSanAndServerAuthOnly_CarriesExactlyThose()
    {
        var ca = DevCertificateAuthority.Create();
        var spec = new CertificateRequestSpec
        {
            CommonName = "odd",
            Uris = [new Uri("sip:pbx-a@trunk.example.net")],
            ExtendedKeyUsages = ExtendedKeyUsages.ServerAuth,
        };

        using var certificate = ca.Issue(spec).ToX509Certificate2();

        Assert.Equal([ServerAuthOid], TestChain.ExtendedKeyUsageOids(certificate));
        var san = TestChain.SubjectAlternativeName(certificate)!;
        Assert.Contains("sip:pbx-a@trunk.example.net", san.Format(false), StringComparison.Ordinal);
        Assert.Empty(san.EnumerateDnsNames());
    }

    [Fact]
    public void Issue_NoExtendedKeyUsages_OmitsExtension()
    {
        var ca = DevCertificateAuthority.Create();

        using var certificate = ca.Issue(new CertificateRequestSpec { CommonName = "any", ExtendedKeyUsages = ExtendedKeyUsages.None })
            .ToX509Certificate2();

        Assert.Empty(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
    }

    [Fact]
    public void Issue_ExpiredValidity_ChainReportsNotTimeValid()
    {
        var ca = DevCertificateAuthority.Create(notBefore: DateTimeOffset.UtcNow.AddDays(-30));
        var spec = CertificateRequestSpec.ForPeer("old") with
        {
            NotBefore = DateTimeOffset.UtcNow.AddDays(-20),
            NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
        };

        using var expired = ca.Issue(spec).ToX509Certificate2();
        using var root = ca.Certificate.ToPublicX509Certificate2();
        var (ok, status) = TestChain.Build(expired, root);

        Assert.False(ok);
        Assert.True(status.HasFlag(X509ChainStatusFlags.NotTimeValid), status.ToString());
    }

    [Fact]
    public void Issue_FromSecondCa_DoesNotChainToFirst()
    {
        var first = DevCertificateAuthority.Create();
        var second = DevCertificateAuthority.Create("Another CA");

        using var stranger = second.Issue(CertificateRequestSpec.ForPeer("pbx-x")).ToX509Certificate2();
        using var firstRoot = first.Certificate.ToPublicX509Certificate2();
        using var secondRoot = second.Certificate.ToPublicX509Certificate2();

        Assert.False(TestChain.Build(stranger, firstRoot).Ok);
        Assert.True(TestChain.Build(stranger, secondRoot).Ok);
        Assert.Equal("CN=Another CA", stranger.Issuer);
    }

    [Fact]
    public void Issue_NotAfterBeforeNotBefore_Throws()
    {
        var ca = DevCertificateAuthority.Create();
        var spec = CertificateRequestSpec.ForPeer("p") with
        {
            NotBefore = DateTimeOffset.UtcNow,
            NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
        };

        Assert.Throws<ArgumentException>(() => ca.Issue(spec));
    }

    [Fact]
    public void Issue_ManyCertificates_SerialsArePositiveAtMost127BitsAndDistinct()
    {
        var ca = DevCertificateAuthority.Create();
        var serials = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            using var certificate = ca.Issue(CertificateRequestSpec.ForPeer("p")).ToX509Certificate2();
            var serial = certificate.GetSerialNumber(); // little-endian
            Assert.InRange(serial.Length, 1, 16);
            Assert.Equal(0, serial[^1] & 0x80);
            Assert.True(serials.Add(certificate.SerialNumber));
        }
    }

    [Fact]
    public void FromPem_OwnPem_IssuesCertificatesThatChainToTheSameCa()
    {
        var original = DevCertificateAuthority.Create();

        var loaded = DevCertificateAuthority.FromPem(original.Certificate.CertificatePem, original.Certificate.PrivateKeyPem);
        using var leaf = loaded.Issue(CertificateRequestSpec.ForPeer("pbx-b")).ToX509Certificate2();
        using var root = original.Certificate.ToPublicX509Certificate2();

        Assert.True(TestChain.Build(leaf, root).Ok);
        Assert.Equal(original.Certificate.CertificatePem, loaded.Certificate.CertificatePem);
    }

    [Fact]
    public void FromPem_KeyOfAnotherCa_Throws()
    {
        var one = DevCertificateAuthority.Create();
        var other = DevCertificateAuthority.Create();

        var ex = Assert.Throws<DevPkiException>(() =>
            DevCertificateAuthority.FromPem(one.Certificate.CertificatePem, other.Certificate.PrivateKeyPem));
        Assert.Contains("does not belong", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_LeafCertificate_ThrowsNotACa()
    {
        var ca = DevCertificateAuthority.Create();
        var leaf = ca.Issue(CertificateRequestSpec.ForPeer("p"));

        Assert.Throws<DevPkiException>(() => DevCertificateAuthority.FromPem(leaf.CertificatePem, leaf.PrivateKeyPem));
    }

    [Fact]
    public void FromPem_Garbage_Throws()
    {
        Assert.Throws<DevPkiException>(() => DevCertificateAuthority.FromPem("not pem", "not pem either"));
    }

    [Fact]
    public async Task ToX509Certificate2_MutualTlsOverSslStream_HandshakeSucceeds()
    {
        var ca = DevCertificateAuthority.Create();
        using var root = ca.Certificate.ToPublicX509Certificate2();
        using var serverCertificate = ca.Issue(CertificateRequestSpec.ForServer()).ToX509Certificate2();
        using var clientCertificate = ca.Issue(CertificateRequestSpec.ForPeer("pbx-a")).ToX509Certificate2();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var serverSide = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(cts.Token);
            await using var ssl = new SslStream(accepted.GetStream());
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    CertificateChainPolicy = TrustOnly(root),
                },
                cts.Token);
            return ssl.RemoteCertificate!.Subject;
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
        await using var clientSsl = new SslStream(client.GetStream());
        await clientSsl.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [clientCertificate],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateChainPolicy = TrustOnly(root),
            },
            cts.Token);

        Assert.Equal("CN=pbx-a", await serverSide);
        Assert.Equal("CN=localhost", clientSsl.RemoteCertificate!.Subject);
    }

    private static X509ChainPolicy TrustOnly(X509Certificate2 root)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(root);
        return policy;
    }
}
