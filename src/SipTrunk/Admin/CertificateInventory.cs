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
        var found = new List<CertificateExpiry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        foreach (var certificate in ReadPem(options.Tls.Certificate))
        {
            Add(found, seen, first ? "server" : "chain:" + certificate.GetNameInfo(X509NameType.SimpleName, false), certificate);
            first = false;
        }

        var caFiles = options.Tls.TrustedCaCertificates
            .Concat(options.Carriers.SelectMany(c => c.TrustedCaCertificates ?? []))
            .Where(f => !string.Equals(f, CarrierOptions.SystemTrustStore, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal);
        foreach (var file in caFiles)
        {
            foreach (var certificate in ReadPem(file))
            {
                Add(found, seen, "ca:" + certificate.GetNameInfo(X509NameType.SimpleName, false), certificate);
            }
        }

        return found;
    }

    private static void Add(List<CertificateExpiry> found, HashSet<string> seen, string name, X509Certificate2 certificate)
    {
        using (certificate)
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
}
