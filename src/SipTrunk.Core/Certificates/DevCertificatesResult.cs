namespace SipTrunk.Core.Certificates;

/// <summary>What <see cref="DevPki.EnsureDevelopmentCertificates"/> did.</summary>
/// <param name="Generated">True when it wrote anything.</param>
/// <param name="WrittenFiles">Full paths of the files written.</param>
/// <param name="CaCertificatePath">The CA certificate (full path), written or found.</param>
/// <param name="CaPrivateKeyPath">Where the CA key is expected: beside the CA certificate, extension <c>.key</c>.</param>
public sealed record DevCertificatesResult(
    bool Generated,
    IReadOnlyList<string> WrittenFiles,
    string CaCertificatePath,
    string CaPrivateKeyPath);
