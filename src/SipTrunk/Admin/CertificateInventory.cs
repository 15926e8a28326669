using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SipTrunk.Configuration;

namespace SipTrunk.Admin;

/// <summary>
/// The certificates whose expiry an operator must watch (<c>siptrunk_certificate_expiry_seconds</c>): the server
/// certificate (<c>server</c>), the rest of its chain file (<c>chain:NAME</c>) and every trusted CA of
/// <c>Tls:TrustedCaCertificates</c> and of the carriers (<c>ca:NAME</c>), once each.
/// </summary>
internal static class CertificateInventory
{
    /// <summary>Reads the configured PEM files; a file that cannot be read is skipped (the engine reports it when loading).</summary>
    public static IReadOnlyList<CertificateExpiry> Load(SipTrunkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var server = new DisposingCollection(ReadPem(options.Tls.Certificate));
        using var cas = new DisposingCollection(ReadPem(options.Tls.TrustedCaCertificates));
        return Build(server.Certificates, cas.Certificates, options);
    }

    /// <summary>The certificates the transports use now (reloads included), and the carriers' own CA files.</summary>
    public static IReadOnlyList<CertificateExpiry> Load(LoadedTlsMaterial material, SipTrunkOptions options)
    {
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(options);
        return Build([material.ServerCertificate, .. material.Intermediates], material.TrustedCaCertificates, options);
    }

    private static List<CertificateExpiry> Build(IEnumerable<X509Certificate2> serverChain, IEnumerable<X509Certificate2> trustedCas, SipTrunkOptions options)
    {
        var found = new List<CertificateExpiry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        foreach (var certificate in serverChain)
        {
            Add(found, seen, first ? "server" : "chain:" + certificate.GetNameInfo(X509NameType.SimpleName, false), certificate);
            first = false;
        }

        foreach (var certificate in trustedCas)
        {
            Add(found, seen, "ca:" + certificate.GetNameInfo(X509NameType.SimpleName, false), certificate);
        }

        var carrierCaFiles = options.Carriers.SelectMany(c => c.TrustedCaCertificates ?? [])
            .Where(f => !string.Equals(f, CarrierOptions.SystemTrustStore, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal);
        using var carrierCas = new DisposingCollection(ReadPem(carrierCaFiles));
        foreach (var certificate in carrierCas.Certificates)
        {
            Add(found, seen, "ca:" + certificate.GetNameInfo(X509NameType.SimpleName, false), certificate);
        }

        return found;
    }

    private static void Add(List<CertificateExpiry> found, HashSet<string> seen, string name, X509Certificate2 certificate)
    {
        if (!seen.Add(certificate.Thumbprint))
        {
            return;
        }

        // Two CAs may share a name (a renewed root beside the old one): the thumbprint tells their series apart.
        if (found.Exists(c => c.Name == name))
        {
            name += ":" + certificate.Thumbprint[..8].ToLowerInvariant();
        }

        found.Add(new CertificateExpiry(name, certificate.Subject, new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero)));
    }

    private static X509Certificate2Collection ReadPem(IEnumerable<string> files)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in files)
        {
            collection.AddRange(ReadPem(file));
        }

        return collection;
    }

    private static X509Certificate2Collection ReadPem(string file)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return [];
        }

        return collection;
    }

    /// <summary>Certificates read only to report their dates, disposed afterwards.</summary>
    private sealed class DisposingCollection(X509Certificate2Collection certificates) : IDisposable
    {
        public X509Certificate2Collection Certificates { get; } = certificates;

        public void Dispose()
        {
            foreach (var certificate in Certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
