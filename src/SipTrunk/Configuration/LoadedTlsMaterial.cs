using System.Security.Cryptography.X509Certificates;
using SipTrunk.Core.Transport;

namespace SipTrunk.Configuration;

/// <summary>
/// The certificate files of <c>Tls</c>, read and checked together by <see cref="TlsMaterialLoader"/>: what the
/// transports present and trust. Immutable; a reload loads a new one.
/// </summary>
internal sealed record LoadedTlsMaterial
{
    /// <summary>SipTrunk's certificate with its private key (exportable, as OpenSSL's server side needs).</summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>The rest of the certificate file: intermediates sent along in the handshake.</summary>
    public required X509Certificate2Collection Intermediates { get; init; }

    /// <summary>Every certificate of <c>Tls:TrustedCaCertificates</c>.</summary>
    public required X509Certificate2Collection TrustedCaCertificates { get; init; }

    /// <summary>The trusted CAs with the configuration key and file each came from, for expiry warnings.</summary>
    public required IReadOnlyList<(string Key, string Path, X509Certificate2 Certificate)> CaSources { get; init; }

    /// <summary>The lists of <c>Tls:CertificateRevocationLists</c>, signatures verified.</summary>
    public required IReadOnlyList<RevocationList> RevocationLists { get; init; }

    /// <summary>SHA-256 over every file's path and bytes: equal fingerprints mean nothing changed.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Where the server certificate came from.</summary>
    public required string CertificatePath { get; init; }

    /// <summary>The server certificate and CAs that have expired or expire within <paramref name="warningDays"/> of <paramref name="now"/>.</summary>
    public IReadOnlyList<CertificateExpiryNotice> Expiring(int warningDays, DateTimeOffset now)
    {
        var horizon = now + TimeSpan.FromDays(warningDays);
        var notices = new List<CertificateExpiryNotice>();
        Check("Tls.Certificate", CertificatePath, ServerCertificate);
        foreach (var (key, path, certificate) in CaSources)
        {
            Check(key, path, certificate);
        }

        return notices;

        void Check(string key, string path, X509Certificate2 certificate)
        {
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (notAfter <= horizon)
            {
                notices.Add(new CertificateExpiryNotice(key, path, certificate.Subject, notAfter, notAfter <= now));
            }
        }
    }

    /// <summary><paramref name="policy"/> (protocols, suites, resumption) with this material's certificates, CAs and lists.</summary>
    public TlsSettings ApplyTo(TlsSettings policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy with
        {
            ServerCertificate = ServerCertificate,
            IntermediateCertificates = Intermediates,
            TrustedCaCertificates = TrustedCaCertificates,
            RevocationLists = RevocationLists,
        };
    }
}
