using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Core.Transport;

/// <summary>Builds and judges the chain of a certificate presented in a TLS handshake.</summary>
internal static class CertificateVerifier
{
    /// <summary>id-kp-clientAuth (RFC 5280 §4.2.1.12).</summary>
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>id-kp-serverAuth (RFC 5280 §4.2.1.12).</summary>
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private const X509ChainStatusFlags UntrustedFlags =
        X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotSignatureValid
        | X509ChainStatusFlags.Cyclic | X509ChainStatusFlags.ExplicitDistrust | X509ChainStatusFlags.InvalidBasicConstraints
        | X509ChainStatusFlags.InvalidNameConstraints | X509ChainStatusFlags.HasNotSupportedNameConstraint
        | X509ChainStatusFlags.HasNotPermittedNameConstraint | X509ChainStatusFlags.HasExcludedNameConstraint;

    /// <summary>
    /// Verifies <paramref name="certificate"/> for <paramref name="usageOid"/> at <paramref name="now"/>: against
    /// <paramref name="trustedCas"/> only (custom root trust) or, when null, the system store. Certificates the peer sent
    /// along (in <paramref name="presented"/>) may serve as intermediates, never as anchors. A valid chain is then
    /// checked against <paramref name="revocationLists"/> (offline). Returns null when valid.
    /// </summary>
    public static HandshakeFailureReason? VerifyChain(
        X509Certificate2 certificate,
        X509Chain? presented,
        X509Certificate2Collection? trustedCas,
        string usageOid,
        DateTimeOffset now,
        IReadOnlyList<RevocationList>? revocationLists = null)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;

        // Revocation is checked against the configured lists below; fetching AIA/CRL URLs from a handshake would let a
        // peer make us dial out.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(new Oid(usageOid));
        policy.VerificationTime = now.UtcDateTime;
        if (trustedCas is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(trustedCas);
        }

        if (presented is not null)
        {
            policy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            for (var i = 1; i < presented.ChainElements.Count; i++)
            {
                policy.ExtraStore.Add(presented.ChainElements[i].Certificate);
            }
        }

        if (chain.Build(certificate))
        {
            return revocationLists is { Count: > 0 } lists && RevocationList.RevokesAny(lists, chain.ChainElements)
                ? HandshakeFailureReason.Revoked
                : null;
        }

        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain.ChainStatus)
        {
            flags |= status.Status;
        }

        foreach (var element in chain.ChainElements)
        {
            foreach (var status in element.ChainElementStatus)
            {
                flags |= status.Status;
            }
        }

        return Classify(flags);
    }

    /// <summary>Upper-case hex SHA-256 of the certificate's DER: the pin format of CONTRACT.md §3.</summary>
    public static string Sha256Hex(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>Converts what SslStream hands a validation callback into an <see cref="X509Certificate2"/>.</summary>
    public static X509Certificate2 AsCertificate2(X509Certificate certificate) =>
        certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());

    // An untrusted chain is reported as such even when it is also expired: the other faults are the issuer's word,
    // and an issuer we do not trust has no word.
    private static HandshakeFailureReason Classify(X509ChainStatusFlags flags)
    {
        if ((flags & UntrustedFlags) != 0)
        {
            return HandshakeFailureReason.Untrusted;
        }

        if ((flags & X509ChainStatusFlags.Revoked) != 0)
        {
            return HandshakeFailureReason.Revoked;
        }

        if ((flags & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0)
        {
            return HandshakeFailureReason.Expired;
        }

        if ((flags & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidPolicyConstraints)) != 0)
        {
            return HandshakeFailureReason.WrongUsage;
        }

        return HandshakeFailureReason.Untrusted;
    }
}
