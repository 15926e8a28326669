using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SipTrunk.Core.Certificates;

/// <summary>A certificate with its private key, as PEM (certificate) and PKCS#8 PEM (key).</summary>
public sealed class IssuedCertificate
{
    internal IssuedCertificate(BcX509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        BouncyCertificate = certificate;
        PrivateKey = privateKey;
        CertificatePem = PemEncoding.WriteString("CERTIFICATE", certificate.GetEncoded()) + "\n";
        PrivateKeyPem = PemEncoding.WriteString(
            "PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).GetDerEncoded()) + "\n";
    }

    /// <summary>The certificate as <c>-----BEGIN CERTIFICATE-----</c> PEM.</summary>
    public string CertificatePem { get; }

    /// <summary>The private key as PKCS#8 <c>-----BEGIN PRIVATE KEY-----</c> PEM.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>The subject distinguished name, e.g. <c>CN=pbx-a</c>.</summary>
    public string Subject => BouncyCertificate.SubjectDN.ToString();

    /// <summary>Start of validity.</summary>
    public DateTimeOffset NotBefore => new(BouncyCertificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>End of validity.</summary>
    public DateTimeOffset NotAfter => new(BouncyCertificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>The serial number as uppercase hex.</summary>
    public string SerialNumber => BouncyCertificate.SerialNumber.ToString(16).ToUpperInvariant();

    internal BcX509Certificate BouncyCertificate { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>
    /// The certificate with its private key, ready for <c>SslStream</c> (a new instance per call; the caller
    /// disposes it).
    /// </summary>
    public X509Certificate2 ToX509Certificate2() => X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);

    /// <summary>The certificate alone (no private key), e.g. for a trust store.</summary>
    public X509Certificate2 ToPublicX509Certificate2() => X509CertificateLoader.LoadCertificate(BouncyCertificate.GetEncoded());

    /// <summary>
    /// Writes the certificate (mode 0644) and the key (mode 0600, from creation). Without <paramref name="overwrite"/>
    /// an existing file is an <see cref="IOException"/>; files are renamed into place whole.
    /// </summary>
    public void WritePem(string certificatePath, string privateKeyPath, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        ArgumentException.ThrowIfNullOrEmpty(privateKeyPath);

        // Key first: a certificate on disk without its key is the more confusing half-state.
        PemFile.Write(privateKeyPath, PrivateKeyPem, isPrivateKey: true, overwrite);
        PemFile.Write(certificatePath, CertificatePem, isPrivateKey: false, overwrite);
    }
}
