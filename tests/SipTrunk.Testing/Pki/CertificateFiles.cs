namespace SipTrunk.Testing.Pki;

/// <summary>A certificate and its private key on disk (PEM; the key is PKCS#8, mode 0600).</summary>
/// <param name="Name">The subject common name (and SAN DNS name for peers and carriers).</param>
/// <param name="CertificatePath">Full path of the certificate PEM.</param>
/// <param name="PrivateKeyPath">Full path of the key PEM.</param>
public sealed record CertificateFiles(string Name, string CertificatePath, string PrivateKeyPath);
