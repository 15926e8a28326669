using SipTrunk.Configuration;
using SipTrunk.Core.Certificates;
using SipTrunk.Testing;
using SipTrunk.Testing.Pki;

namespace SipTrunk.Tests.Configuration;

public sealed class TlsMaterialLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly TestPki _pki;

    public TlsMaterialLoaderTests() => _pki = TestPki.Create(_directory.Combine("pki"));

    public void Dispose() => _directory.Dispose();

    private TlsOptions Options(CertificateFiles? server = null, params string[] crls) => new()
    {
        Certificate = (server ?? _pki.Server).CertificatePath,
        PrivateKey = (server ?? _pki.Server).PrivateKeyPath,
        TrustedCaCertificates = [_pki.CaCertificatePath],
        CertificateRevocationLists = crls,
        CertificateExpiryWarningDays = 21,
    };

    [Fact]
    public void Load_ValidFiles_MaterialWithoutProblems()
    {
        var result = TlsMaterialLoader.Load(Options(), DateTimeOffset.UtcNow);

        Assert.Empty(result.Problems);
        var material = Assert.IsType<LoadedTlsMaterial>(result.Material);
        Assert.True(material.ServerCertificate.HasPrivateKey);
        Assert.Single(material.TrustedCaCertificates);
        Assert.Empty(material.RevocationLists);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_ExpiredServerCertificate_ProblemSaysExpiredOn()
    {
        var now = DateTimeOffset.UtcNow;
        var expired = _pki.Issue("old-server", CertificateRequestSpec.ForServer() with { NotBefore = now.AddDays(-30), NotAfter = now.AddDays(-2) });

        var result = TlsMaterialLoader.Load(Options(expired), now);

        Assert.Null(result.Material);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("Tls.Certificate", problem.Key);
        Assert.StartsWith("expired on ", problem.Reason, StringComparison.Ordinal);
        Assert.Contains(expired.CertificatePath, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_PrivateKeyProblem()
    {
        var options = Options() with { PrivateKey = _pki.Peers[TestPki.DefaultPeer].PrivateKeyPath };

        var result = TlsMaterialLoader.Load(options, DateTimeOffset.UtcNow);

        Assert.Null(result.Material);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("Tls.PrivateKey", problem.Key);
        Assert.Contains("does not match the certificate", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CertificateOfAnUntrustedCa_DoesNotChain()
    {
        var result = TlsMaterialLoader.Load(Options(_pki.OtherCaPeer), DateTimeOffset.UtcNow);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Tls.Certificate", problem.Key);
        Assert.Contains("does not chain", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnparsableCertificate_NoPemCertificate()
    {
        var garbage = _directory.Combine("garbage.pem");
        File.WriteAllText(garbage, "not a certificate\n");

        var result = TlsMaterialLoader.Load(Options() with { Certificate = garbage }, DateTimeOffset.UtcNow);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Tls.Certificate", problem.Key);
        Assert.Contains("contains no PEM certificate", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SoonExpiringServerCertificate_WarningOnly()
    {
        var now = DateTimeOffset.UtcNow;
        var soon = _pki.Issue("soon-server", CertificateRequestSpec.ForServer() with { NotBefore = now.AddDays(-1), NotAfter = now.AddDays(5) });

        var result = TlsMaterialLoader.Load(Options(soon), now);

        Assert.Empty(result.Problems);
        Assert.NotNull(result.Material);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("Tls.Certificate", warning.Key);
        Assert.StartsWith("expires on ", warning.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CrlOfTheTrustedCa_LoadedWithItsEntries()
    {
        var crl = _pki.WriteRevocationList("ca.crl", [_pki.Peers[TestPki.DefaultPeer]]);

        var result = TlsMaterialLoader.Load(Options(null, crl), DateTimeOffset.UtcNow);

        Assert.Empty(result.Problems);
        var list = Assert.Single(result.Material!.RevocationLists);
        Assert.Equal(1, list.Count);
    }

    [Fact]
    public void Load_CrlOfAnUntrustedCa_Refused()
    {
        var crl = _pki.WriteRevocationList("ca.crl", [_pki.Peers[TestPki.DefaultPeer]]);
        var otherCaOnly = Options(_pki.OtherCaPeer, crl) with { TrustedCaCertificates = [_pki.OtherCaCertificatePath] };

        var result = TlsMaterialLoader.Load(otherCaOnly, DateTimeOffset.UtcNow);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("Tls.CertificateRevocationLists[0]", problem.Key);
        Assert.Contains("not a trusted CA", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StaleCrl_LoadedWithWarning()
    {
        var crl = _pki.WriteRevocationList("stale.crl", [], validity: TimeSpan.FromDays(-1));

        var result = TlsMaterialLoader.Load(Options(null, crl), DateTimeOffset.UtcNow);

        Assert.Empty(result.Problems);
        Assert.Single(result.Material!.RevocationLists);
        Assert.Contains(result.Warnings, w => w.Key == "Tls.CertificateRevocationLists[0]" && w.Reason.Contains("stale", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_FileRewrittenWithOtherContent_FingerprintChanges()
    {
        var live = new CertificateFiles("localhost", _directory.Combine("live.pem"), _directory.Combine("live.key"));
        File.Copy(_pki.Server.CertificatePath, live.CertificatePath);
        File.Copy(_pki.Server.PrivateKeyPath, live.PrivateKeyPath);
        var first = TlsMaterialLoader.Load(Options(live), DateTimeOffset.UtcNow).Material!.Fingerprint;
        var again = TlsMaterialLoader.Load(Options(live), DateTimeOffset.UtcNow).Material!.Fingerprint;
        var renewed = _pki.Issue("renewed", CertificateRequestSpec.ForServer());
        File.Copy(renewed.CertificatePath, live.CertificatePath, overwrite: true);
        File.Copy(renewed.PrivateKeyPath, live.PrivateKeyPath, overwrite: true);

        var after = TlsMaterialLoader.Load(Options(live), DateTimeOffset.UtcNow).Material!.Fingerprint;

        Assert.Equal(first, again);
        Assert.NotEqual(first, after);
    }
}
