using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SipTrunk.Core.Certificates;

namespace SipTrunk.Testing.Pki;

/// <summary>
/// A throwaway PKI in a directory, laid out like <c>siptrunk certs init</c> writes it (<c>ca.pem</c>/<c>ca.key</c>,
/// <c>server.pem</c>/<c>server.key</c>, <c>NAME.pem</c>/<c>NAME.key</c>), plus client certificates that a correct TLS
/// server must refuse. Those carry the first peer's name, so a refusal can only come from the flaw each was made
/// with, never from an unknown identity.
/// </summary>
public sealed class TestPki
{
    /// <summary>The peer name used when <see cref="Create"/> is given none.</summary>
    public const string DefaultPeer = "pbx-a";

    /// <summary>The carrier name used when <see cref="Create"/> is given none.</summary>
    public const string DefaultCarrier = "carrier-1";

    private readonly DevCertificateAuthority _authority;

    private TestPki(
        string directory,
        DevCertificateAuthority authority,
        CertificateFiles server,
        IReadOnlyDictionary<string, CertificateFiles> peers,
        IReadOnlyDictionary<string, CertificateFiles> carriers,
        string otherCaCertificatePath,
        CertificateFiles otherCaPeer,
        CertificateFiles expiredPeer,
        CertificateFiles serverAuthOnlyPeer)
    {
        Directory = directory;
        _authority = authority;
        Server = server;
        Peers = peers;
        Carriers = carriers;
        OtherCaCertificatePath = otherCaCertificatePath;
        OtherCaPeer = otherCaPeer;
        ExpiredPeer = expiredPeer;
        ServerAuthOnlyPeer = serverAuthOnlyPeer;
    }

    /// <summary>The directory holding every file.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate every other certificate here chains to (except the "other CA" ones).</summary>
    public string CaCertificatePath => Path.Combine(Directory, DevPki.CaCertificateFileName);

    /// <summary>The CA's private key.</summary>
    public string CaPrivateKeyPath => Path.Combine(Directory, DevPki.CaPrivateKeyFileName);

    /// <summary>SipTrunk's own certificate: SAN localhost, 127.0.0.1, ::1; serverAuth and clientAuth.</summary>
    public CertificateFiles Server { get; }

    /// <summary>PBX client certificates by name (clientAuth only).</summary>
    public IReadOnlyDictionary<string, CertificateFiles> Peers { get; }

    /// <summary>Carrier certificates by name: SAN name, localhost, 127.0.0.1; serverAuth and clientAuth.</summary>
    public IReadOnlyDictionary<string, CertificateFiles> Carriers { get; }

    /// <summary>The certificate of a second, unrelated CA (<c>other-ca.pem</c>).</summary>
    public string OtherCaCertificatePath { get; }

    /// <summary>A well-formed peer certificate issued by the other CA: chains to nothing SipTrunk trusts.</summary>
    public CertificateFiles OtherCaPeer { get; }

    /// <summary>A peer certificate from the right CA whose validity ended yesterday.</summary>
    public CertificateFiles ExpiredPeer { get; }

    /// <summary>A peer certificate from the right CA with serverAuth as its only extended key usage.</summary>
    public CertificateFiles ServerAuthOnlyPeer { get; }

    /// <summary>
    /// Writes the PKI into <paramref name="directory"/> (created if missing): a CA, the server certificate, one
    /// certificate per peer and per carrier name, and the three refusal certificates.
    /// </summary>
    /// <param name="directory">Where to write; files already there are an <see cref="IOException"/>.</param>
    /// <param name="peers">PBX names (default: <see cref="DefaultPeer"/>).</param>
    /// <param name="carriers">Carrier names (default: <see cref="DefaultCarrier"/>).</param>
    public static TestPki Create(string directory, IEnumerable<string>? peers = null, IEnumerable<string>? carriers = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        directory = Path.GetFullPath(directory);
        var peerNames = peers?.ToList() ?? [DefaultPeer];
        var carrierNames = carriers?.ToList() ?? [DefaultCarrier];
        if (peerNames.Count == 0)
        {
            throw new ArgumentException("at least one peer is needed (the refusal certificates carry its name)", nameof(peers));
        }

        System.IO.Directory.CreateDirectory(directory);
        var authority = DevCertificateAuthority.Create();
        authority.Certificate.WritePem(
            Path.Combine(directory, DevPki.CaCertificateFileName), Path.Combine(directory, DevPki.CaPrivateKeyFileName));

        var server = Write(directory, "server", authority.Issue(CertificateRequestSpec.ForServer()), CertificateRequestSpec.Localhost);
        var peerFiles = peerNames.ToDictionary(
            name => name, name => Write(directory, name, authority.Issue(CertificateRequestSpec.ForPeer(name)), name));
        var carrierFiles = carrierNames.ToDictionary(
            name => name, name => Write(directory, name, authority.Issue(CertificateRequestSpec.ForCarrier(name)), name));

        var impostor = peerNames[0];
        var otherAuthority = DevCertificateAuthority.Create("SipTrunk Unrelated Test CA");
        var otherCaCertificatePath = Path.Combine(directory, "other-ca.pem");
        otherAuthority.Certificate.WritePem(otherCaCertificatePath, Path.Combine(directory, "other-ca.key"));
        var otherCaPeer = Write(
            directory, $"other-ca-{impostor}", otherAuthority.Issue(CertificateRequestSpec.ForPeer(impostor)), impostor);

        var now = DateTimeOffset.UtcNow;
        var expiredPeer = Write(
            directory,
            $"expired-{impostor}",
            authority.Issue(CertificateRequestSpec.ForPeer(impostor) with
            {
                NotBefore = now - TimeSpan.FromDays(30),
                NotAfter = now - TimeSpan.FromDays(1),
            }),
            impostor);
        var serverAuthOnlyPeer = Write(
            directory,
            $"serverauth-{impostor}",
            authority.Issue(CertificateRequestSpec.ForPeer(impostor) with { ExtendedKeyUsages = ExtendedKeyUsages.ServerAuth }),
            impostor);

        return new TestPki(
            directory, authority, server, peerFiles, carrierFiles, otherCaCertificatePath, otherCaPeer, expiredPeer, serverAuthOnlyPeer);
    }

    /// <summary>
    /// Issues one more certificate from this PKI's CA (e.g. a peer added later, or an odd one for a single test) and
    /// writes it as <paramref name="fileStem"/><c>.pem</c>/<c>.key</c>.
    /// </summary>
    public CertificateFiles Issue(string fileStem, CertificateRequestSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileStem);
        ArgumentNullException.ThrowIfNull(spec);
        return Write(Directory, fileStem, _authority.Issue(spec), spec.CommonName);
    }

    /// <summary>
    /// Writes a CRL (PEM, signed by this PKI's CA with .NET's own builder, not the BouncyCastle code SipTrunk parses it
    /// with) revoking <paramref name="revoked"/>, valid for <paramref name="validity"/> (default 7 days; negative: already stale).
    /// </summary>
    /// <returns>The CRL's path.</returns>
    public string WriteRevocationList(string fileName, IEnumerable<CertificateFiles> revoked, TimeSpan? validity = null, int crlNumber = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(revoked);
        using var ca = X509Certificate2.CreateFromPemFile(CaCertificatePath, CaPrivateKeyPath);
        var builder = new CertificateRevocationListBuilder();
        var now = DateTimeOffset.UtcNow;
        foreach (var files in revoked)
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(files.CertificatePath));
            builder.AddEntry(certificate, now - TimeSpan.FromMinutes(5), X509RevocationReason.KeyCompromise);
        }

        var nextUpdate = now + (validity ?? TimeSpan.FromDays(7));
        var thisUpdate = nextUpdate < now ? nextUpdate - TimeSpan.FromDays(7) : now - TimeSpan.FromMinutes(5);
        var der = builder.Build(ca, new BigInteger(crlNumber), nextUpdate, HashAlgorithmName.SHA256, thisUpdate: thisUpdate);
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, PemEncoding.WriteString("X509 CRL", der));
        return path;
    }

    private static CertificateFiles Write(string directory, string fileStem, IssuedCertificate certificate, string name)
    {
        var files = new CertificateFiles(
            name, Path.Combine(directory, fileStem + ".pem"), Path.Combine(directory, fileStem + ".key"));
        certificate.WritePem(files.CertificatePath, files.PrivateKeyPath);
        return files;
    }
}
