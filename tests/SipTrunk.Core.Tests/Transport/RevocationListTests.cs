using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SipTrunk.Core.Transport;
using SipTrunk.Testing;
using SipTrunk.Testing.Pki;

namespace SipTrunk.Core.Tests.Transport;

public sealed class RevocationListTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly TestPki _pki;
    private readonly X509Certificate2Collection _trusted = [];

    public RevocationListTests()
    {
        _pki = TestPki.Create(_directory.Combine("pki"), ["pbx-a", "pbx-b"]);
        _trusted.ImportFromPemFile(_pki.CaCertificatePath);
    }

    public void Dispose() => _directory.Dispose();

    private static X509Certificate2 Read(CertificateFiles files) => X509Certificate2.CreateFromPem(File.ReadAllText(files.CertificatePath));

    [Fact]
    public void Revokes_ListedAndUnlistedCertificates_OnlyListedOneRevoked()
    {
        var list = RevocationList.Load(File.ReadAllBytes(_pki.WriteRevocationList("ca.crl", [_pki.Peers["pbx-a"]])), _trusted);
        using var revoked = Read(_pki.Peers["pbx-a"]);
        using var good = Read(_pki.Peers["pbx-b"]);

        Assert.True(list.Revokes(revoked, _trusted[0]));
        Assert.False(list.Revokes(good, _trusted[0]));
    }

    [Fact]
    public void Load_DerEncoding_SameEntries()
    {
        var pem = File.ReadAllText(_pki.WriteRevocationList("ca.crl", [_pki.Peers["pbx-a"], _pki.Peers["pbx-b"]]));
        var der = PemEncoding.Find(pem) is var fields ? Convert.FromBase64String(pem[fields.Base64Data]) : [];

        var list = RevocationList.Load(der, _trusted);

        Assert.Equal(2, list.Count);
    }

    [Fact]
    public void Load_SignedByAnUntrustedCa_Refused()
    {
        var other = new X509Certificate2Collection();
        other.ImportFromPemFile(_pki.OtherCaCertificatePath);
        var bytes = File.ReadAllBytes(_pki.WriteRevocationList("ca.crl", [_pki.Peers["pbx-a"]]));

        var error = Assert.Throws<CryptographicException>(() => RevocationList.Load(bytes, other));
        Assert.Contains("not a trusted CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotACrl_Refused()
    {
        Assert.Throws<CryptographicException>(() => RevocationList.Load(File.ReadAllBytes(_pki.CaCertificatePath), _trusted));
    }

    [Fact]
    public void VerifyChain_RevokedClientCertificate_Revoked()
    {
        var lists = new[] { RevocationList.Load(File.ReadAllBytes(_pki.WriteRevocationList("ca.crl", [_pki.Peers["pbx-a"]])), _trusted) };
        using var revoked = Read(_pki.Peers["pbx-a"]);
        using var good = Read(_pki.Peers["pbx-b"]);
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(HandshakeFailureReason.Revoked, CertificateVerifier.VerifyChain(revoked, null, _trusted, CertificateVerifier.ClientAuthOid, now, lists));
        Assert.Null(CertificateVerifier.VerifyChain(good, null, _trusted, CertificateVerifier.ClientAuthOid, now, lists));
        Assert.Null(CertificateVerifier.VerifyChain(revoked, null, _trusted, CertificateVerifier.ClientAuthOid, now));
    }
}
