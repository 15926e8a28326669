using SipTrunk.Admin;
using SipTrunk.Configuration;
using SipTrunk.Testing;
using SipTrunk.Testing.Pki;

namespace SipTrunk.Tests.Admin;

public sealed class CertificateInventoryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_ServerAndTrustedCas_EachOnceWithNotAfter()
    {
        var pki = TestPki.Create(_directory.Combine("pki"));
        var options = new SipTrunkOptions
        {
            Tls = new TlsOptions
            {
                Certificate = pki.Server.CertificatePath,
                PrivateKey = pki.Server.PrivateKeyPath,
                TrustedCaCertificates = [pki.CaCertificatePath, pki.OtherCaCertificatePath],
            },
            Carriers =
            [
                new CarrierOptions { Name = "c1", TrustedCaCertificates = [pki.CaCertificatePath] },
                new CarrierOptions { Name = "c2", TrustedCaCertificates = [CarrierOptions.SystemTrustStore] },
            ],
        };

        var certificates = CertificateInventory.Load(options);

        var chain = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        chain.ImportFromPemFile(pki.Server.CertificatePath);
        using var server = chain[0];
        Assert.Equal("server", certificates[0].Name);
        Assert.Equal(new DateTimeOffset(server.NotAfter.ToUniversalTime(), TimeSpan.Zero), certificates[0].NotAfter);
        Assert.Equal(3, certificates.Count);
        Assert.All(certificates.Skip(1), c => Assert.StartsWith("ca:", c.Name, StringComparison.Ordinal));
        Assert.Equal(certificates.Count, certificates.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Load_MissingFiles_Skipped()
    {
        var options = new SipTrunkOptions { Tls = new TlsOptions { Certificate = _directory.Combine("absent.pem"), TrustedCaCertificates = [_directory.Combine("absent-ca.pem")] } };

        Assert.Empty(CertificateInventory.Load(options));
    }
}
