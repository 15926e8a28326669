using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SipTrunk.Core.Transport;

/// <summary>
/// A certificate revocation list (RFC 5280 §5) checked offline: parsed once, its signature verified against the trusted
/// CAs when loaded, then consulted in every handshake. Immutable. The framework's own CRL support on Linux reads only
/// OpenSSL's download cache keyed by distribution-point URL, so configured files cannot be fed to it.
/// </summary>
public sealed class RevocationList
{
    private readonly HashSet<string> _revokedSerials;
    private readonly HashSet<string> _signerThumbprints;
    private readonly byte[] _issuer;

    private RevocationList(byte[] issuer, X500DistinguishedName issuerName, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, HashSet<string> revoked, HashSet<string> signers)
    {
        _issuer = issuer;
        IssuerName = issuerName;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _revokedSerials = revoked;
        _signerThumbprints = signers;
    }

    /// <summary>The CA that issued the list.</summary>
    public X500DistinguishedName IssuerName { get; }

    /// <summary>When the list was issued.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>When the CA promises the next list (RFC 5280 §5.1.2.5); null when it does not say.</summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>How many certificates the list revokes.</summary>
    public int Count => _revokedSerials.Count;

    /// <summary>
    /// Parses a PEM (<c>X509 CRL</c>) or DER list and verifies its signature against <paramref name="trustedCas"/>: a list
    /// no trusted CA signed is refused, since anyone could otherwise revoke (or, by omission, un-revoke) certificates.
    /// </summary>
    /// <exception cref="CryptographicException">Not a CRL, or signed by none of <paramref name="trustedCas"/>.</exception>
    public static RevocationList Load(byte[] data, X509Certificate2Collection trustedCas)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trustedCas);
        X509Crl? crl;
        try
        {
            crl = new X509CrlParser().ReadCrl(data);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new CryptographicException($"not a certificate revocation list ({ex.Message})", ex);
        }

        if (crl is null)
        {
            throw new CryptographicException("not a certificate revocation list");
        }

        var issuer = crl.IssuerDN.GetEncoded();
        var signers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var ca in trustedCas)
        {
            if (ca.SubjectName.RawData.AsSpan().SequenceEqual(issuer) && SignatureVerifies(crl, ca))
            {
                signers.Add(ca.Thumbprint);
            }
        }

        if (signers.Count == 0)
        {
            throw new CryptographicException($"issued by {crl.IssuerDN}, which is not a trusted CA (or the signature is bad)");
        }

        var revoked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in crl.GetRevokedCertificates() ?? new HashSet<X509CrlEntry>())
        {
            revoked.Add(entry.SerialNumber.ToString(16));
        }

        DateTimeOffset? next = crl.NextUpdate is { } nextUpdate ? new DateTimeOffset(nextUpdate.ToUniversalTime(), TimeSpan.Zero) : null;
        return new RevocationList(
            issuer, new X500DistinguishedName(issuer), new DateTimeOffset(crl.ThisUpdate.ToUniversalTime(), TimeSpan.Zero), next, revoked, signers);
    }

    /// <summary>
    /// Whether <paramref name="certificate"/>, issued by <paramref name="issuer"/> (the next element of its verified
    /// chain), is on this list: only when this list was signed by that very CA.
    /// </summary>
    public bool Revokes(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        if (!_signerThumbprints.Contains(issuer.Thumbprint) || !certificate.IssuerName.RawData.AsSpan().SequenceEqual(_issuer))
        {
            return false;
        }

        // BigInteger's hex form drops leading zero octets (RFC 5280 §4.1.2.2 serials may carry one), as the CRL's does.
        var serial = new BigInteger(1, Convert.FromHexString(certificate.SerialNumber));
        return _revokedSerials.Contains(serial.ToString(16));
    }

    /// <summary>Whether any list in <paramref name="lists"/> revokes an element of <paramref name="chain"/> (the root excepted).</summary>
    public static bool RevokesAny(IReadOnlyList<RevocationList> lists, X509ChainElementCollection chain)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(chain);
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            foreach (var list in lists)
            {
                if (list.Revokes(chain[i].Certificate, chain[i + 1].Certificate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool SignatureVerifies(X509Crl crl, X509Certificate2 ca)
    {
        try
        {
            var key = new X509CertificateParser().ReadCertificate(ca.RawData).GetPublicKey();
            crl.Verify(key);
            return true;
        }
        catch (Exception ex) when (ex is GeneralSecurityException or InvalidKeyException or SignatureException or CryptographicException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
