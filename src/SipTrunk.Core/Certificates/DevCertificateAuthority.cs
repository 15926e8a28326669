using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SipTrunk.Core.Certificates;

/// <summary>
/// A development certificate authority: ECDSA P-256 keys, SHA256withECDSA signatures, random positive 127-bit serials,
/// X.509 v3 (RFC 5280). It issues SipTrunk's server certificate and peer/carrier certificates, and lets tests mint
/// odd ones (expired, without clientAuth, from a second CA).
/// </summary>
public sealed class DevCertificateAuthority
{
    /// <summary>The CA's subject common name unless told otherwise.</summary>
    public const string DefaultCommonName = "SipTrunk Development CA";

    private readonly AsymmetricKeyParameter _privateKey;
    private readonly byte[] _keyIdentifier;
    private readonly string _signatureAlgorithm;
    private readonly TimeProvider _timeProvider;
    private readonly SecureRandom _random = new();

    private DevCertificateAuthority(IssuedCertificate certificate, TimeProvider timeProvider)
    {
        Certificate = certificate;
        _privateKey = certificate.PrivateKey;
        _timeProvider = timeProvider;
        _signatureAlgorithm = SignatureAlgorithmFor(_privateKey);
        var caCertificate = certificate.BouncyCertificate;

        // RFC 5280 §4.2.1.1: the AKI of issued certificates repeats the CA's own SKI when it has one.
        var ski = X509ExtensionUtilities.GetSubjectKeyIdentifier(caCertificate)
            ?? X509ExtensionUtilities.CreateSubjectKeyIdentifier(caCertificate.SubjectPublicKeyInfo);
        _keyIdentifier = ski.GetKeyIdentifier();
    }

    /// <summary>How long a new CA is valid: 10 years.</summary>
    public static TimeSpan DefaultCaValidity { get; } = TimeSpan.FromDays(3650);

    /// <summary>How long a leaf is valid: 825 days, the longest lifetime Apple platforms accept for TLS servers.</summary>
    public static TimeSpan DefaultLeafValidity { get; } = TimeSpan.FromDays(825);

    /// <summary>The CA certificate and its key (write it with <see cref="IssuedCertificate.WritePem"/>).</summary>
    public IssuedCertificate Certificate { get; }

    /// <summary>
    /// A new self-signed CA: basicConstraints CA:true, pathlen 0 (critical); keyUsage keyCertSign|cRLSign (critical);
    /// subjectKeyIdentifier.
    /// </summary>
    public static DevCertificateAuthority Create(
        string commonName = DefaultCommonName,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        timeProvider ??= TimeProvider.System;
        var random = new SecureRandom();
        var keyPair = GenerateKeyPair(random);
        var now = timeProvider.GetUtcNow();
        var start = notBefore ?? now - TimeSpan.FromHours(1);
        var end = notAfter ?? now + DefaultCaValidity;
        var name = Name(commonName);
        var publicKeyInfo = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(keyPair.Public);

        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(RandomSerial(random));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(start.UtcDateTime);
        generator.SetNotAfter(end.UtcDateTime);
        generator.SetPublicKey(keyPair.Public);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(0));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        generator.AddExtension(
            X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKeyInfo));
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DevCertificateAuthority(new IssuedCertificate(certificate, keyPair.Private), timeProvider);
    }

    /// <summary>Loads a CA from a PEM certificate and a PEM key (PKCS#8, SEC1 EC or PKCS#1 RSA).</summary>
    /// <exception cref="DevPkiException">A file is missing, is not PEM of the right kind, or the key does not match.</exception>
    public static DevCertificateAuthority Load(string certificatePath, string privateKeyPath, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        ArgumentException.ThrowIfNullOrEmpty(privateKeyPath);
        string certificatePem;
        string privateKeyPem;
        try
        {
            certificatePem = File.ReadAllText(certificatePath);
            privateKeyPem = File.ReadAllText(privateKeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DevPkiException($"cannot read the CA: {ex.Message}", ex);
        }

        return FromPem(certificatePem, privateKeyPem, timeProvider, certificatePath, privateKeyPath);
    }

    /// <summary>A CA from PEM text (see <see cref="Load"/>).</summary>
    /// <exception cref="DevPkiException">The text is not PEM of the right kind, or the key does not match.</exception>
    public static DevCertificateAuthority FromPem(
        string certificatePem,
        string privateKeyPem,
        TimeProvider? timeProvider = null,
        string certificateSource = "CA certificate",
        string privateKeySource = "CA key")
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        var certificate = ReadPem(certificatePem) as BcX509Certificate
            ?? throw new DevPkiException($"{certificateSource}: no PEM CERTIFICATE found");
        var privateKey = ReadPem(privateKeyPem) switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } key => key,
            _ => throw new DevPkiException($"{privateKeySource}: no PEM private key found"),
        };

        if (!KeyMatches(certificate, privateKey))
        {
            throw new DevPkiException($"{privateKeySource} does not belong to {certificateSource}");
        }

        if (certificate.GetBasicConstraints() < 0)
        {
            throw new DevPkiException($"{certificateSource} is not a CA certificate (basicConstraints CA:true missing)");
        }

        return new DevCertificateAuthority(new IssuedCertificate(certificate, privateKey), timeProvider ?? TimeProvider.System);
    }

    /// <summary>
    /// Issues a leaf certificate for <paramref name="spec"/> with a fresh P-256 key: basicConstraints CA:false,
    /// keyUsage digitalSignature (critical), the spec's extendedKeyUsage and subjectAltName, SKI and AKI.
    /// </summary>
    public IssuedCertificate Issue(CertificateRequestSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.CommonName);
        var now = _timeProvider.GetUtcNow();
        var start = spec.NotBefore ?? now - TimeSpan.FromHours(1);
        var end = spec.NotAfter ?? now + DefaultLeafValidity;
        if (end <= start)
        {
            throw new ArgumentException("NotAfter must be later than NotBefore", nameof(spec));
        }

        var keyPair = GenerateKeyPair(_random);
        var publicKeyInfo = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(keyPair.Public);
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(RandomSerial(_random));
        generator.SetIssuerDN(Certificate.BouncyCertificate.SubjectDN);
        generator.SetSubjectDN(Name(spec.CommonName));
        generator.SetNotBefore(start.UtcDateTime);
        generator.SetNotAfter(end.UtcDateTime);
        generator.SetPublicKey(keyPair.Public);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
        generator.AddExtension(
            X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKeyInfo));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(_keyIdentifier));

        var purposes = new List<KeyPurposeID>(2);
        if (spec.ExtendedKeyUsages.HasFlag(ExtendedKeyUsages.ServerAuth))
        {
            purposes.Add(KeyPurposeID.id_kp_serverAuth);
        }

        if (spec.ExtendedKeyUsages.HasFlag(ExtendedKeyUsages.ClientAuth))
        {
            purposes.Add(KeyPurposeID.id_kp_clientAuth);
        }

        if (purposes.Count > 0)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(purposes));
        }

        var names = new List<GeneralName>();
        foreach (var dns in spec.DnsNames)
        {
            names.Add(new GeneralName(GeneralName.DnsName, dns));
        }

        foreach (var ip in spec.IPAddresses)
        {
            names.Add(new GeneralName(GeneralName.IPAddress, new DerOctetString(ip.GetAddressBytes())));
        }

        foreach (var uri in spec.Uris)
        {
            names.Add(new GeneralName(GeneralName.UniformResourceIdentifier, uri.OriginalString));
        }

        if (names.Count > 0)
        {
            // RFC 5280 §4.2.1.6: critical only when the subject is empty, which ours never is.
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names.ToArray()));
        }

        var certificate = generator.Generate(new Asn1SignatureFactory(_signatureAlgorithm, _privateKey, _random));
        return new IssuedCertificate(certificate, keyPair.Private);
    }

    private static AsymmetricCipherKeyPair GenerateKeyPair(SecureRandom random)
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        return generator.GenerateKeyPair();
    }

    // RFC 5280 §4.1.2.2: positive, at most 20 octets; 127 random bits keep it positive in 16 octets.
    private static BigInteger RandomSerial(SecureRandom random)
    {
        BigInteger serial;
        do
        {
            serial = new BigInteger(127, random);
        }
        while (serial.SignValue <= 0);

        return serial;
    }

    private static X509Name Name(string commonName) =>
        new(new List<DerObjectIdentifier> { X509Name.CN }, new List<string> { commonName });

    private static string SignatureAlgorithmFor(AsymmetricKeyParameter privateKey) => privateKey switch
    {
        ECPrivateKeyParameters => "SHA256WITHECDSA",
        RsaKeyParameters => "SHA256WITHRSA",
        _ => throw new DevPkiException("the CA key must be an EC or RSA key"),
    };

    private static object? ReadPem(string pem)
    {
        try
        {
            using var reader = new StringReader(pem);
            return new PemReader(reader).ReadObject();
        }
        catch (Exception ex) when (ex is IOException or PemException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }

    private static bool KeyMatches(BcX509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        var publicKey = certificate.GetPublicKey();
        return (publicKey, privateKey) switch
        {
            (ECPublicKeyParameters pub, ECPrivateKeyParameters priv) =>
                pub.Parameters.G.Multiply(priv.D).Normalize().Equals(pub.Q.Normalize()),
            (RsaKeyParameters pub, RsaPrivateCrtKeyParameters priv) =>
                pub.Modulus.Equals(priv.Modulus) && pub.Exponent.Equals(priv.PublicExponent),
            _ => false,
        };
    }
}
