using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SipTrunk.Core.Transport;

namespace SipTrunk.Configuration;

/// <summary>
/// Reads the certificate files of <c>Tls</c> once and checks them together, at start (<c>config check</c>, <c>run</c>)
/// and on every reload: the certificate parses, its key matches, it is valid now and chains to a trusted CA (or the
/// system store); the CA files hold certificates that are not all expired; every CRL parses and is signed by a trusted
/// CA. The bytes checked are the bytes used, so a file replaced half-way cannot slip in unchecked.
/// </summary>
internal static class TlsMaterialLoader
{
    /// <summary>Loads the files of <paramref name="tls"/> at <paramref name="now"/>; the result has material, or problems.</summary>
    public static TlsMaterialLoadResult Load(TlsOptions tls, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var problems = new List<ConfigProblem>();
        var warnings = new List<ConfigProblem>();
        using var fingerprint = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        var trusted = new X509Certificate2Collection();
        var caSources = new List<(string Key, string Path, X509Certificate2 Certificate)>();
        for (var i = 0; i < tls.TrustedCaCertificates.Count; i++)
        {
            LoadCas($"Tls.TrustedCaCertificates[{i}]", tls.TrustedCaCertificates[i], now, fingerprint, trusted, caSources, problems, warnings);
        }

        var server = LoadServerCertificate(tls, now, fingerprint, trusted, problems);
        var lists = new List<RevocationList>();
        for (var i = 0; i < tls.CertificateRevocationLists.Count; i++)
        {
            var key = $"Tls.CertificateRevocationLists[{i}]";
            var path = tls.CertificateRevocationLists[i];
            if (Read(key, path, fingerprint, problems) is not { } bytes)
            {
                continue;
            }

            try
            {
                var list = RevocationList.Load(bytes, trusted);
                if (list.NextUpdate is { } next && next < now)
                {
                    warnings.Add(new(key, $"{path}: stale, its next update was due on {Format(next)}; the revocations it lists are still enforced"));
                }

                lists.Add(list);
            }
            catch (CryptographicException ex)
            {
                problems.Add(new(key, $"{path}: {ex.Message}"));
            }
        }

        if (problems.Count > 0 || server is null)
        {
            return new TlsMaterialLoadResult(null, problems, warnings);
        }

        var material = new LoadedTlsMaterial
        {
            ServerCertificate = server.Value.Certificate,
            Intermediates = server.Value.Intermediates,
            TrustedCaCertificates = trusted,
            CaSources = caSources,
            RevocationLists = lists,
            Fingerprint = Convert.ToHexString(fingerprint.GetHashAndReset()),
            CertificatePath = tls.Certificate,
        };
        foreach (var notice in material.Expiring(tls.CertificateExpiryWarningDays, now).Where(n => !n.Expired))
        {
            warnings.Add(new(notice.Key, notice.Describe(now)));
        }

        return new TlsMaterialLoadResult(material, problems, warnings);
    }

    private static (X509Certificate2 Certificate, X509Certificate2Collection Intermediates)? LoadServerCertificate(
        TlsOptions tls, DateTimeOffset now, IncrementalHash fingerprint, X509Certificate2Collection trusted, List<ConfigProblem> problems)
    {
        const string Key = "Tls.Certificate";
        var certificateBytes = Read(Key, tls.Certificate, fingerprint, problems);
        var keyBytes = Read("Tls.PrivateKey", tls.PrivateKey, fingerprint, problems);
        if (certificateBytes is null || keyBytes is null)
        {
            return null;
        }

        var certificateText = Encoding.ASCII.GetString(certificateBytes);
        var keyText = Encoding.ASCII.GetString(keyBytes);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificateText);
        }
        catch (CryptographicException ex)
        {
            problems.Add(new(Key, $"{tls.Certificate}: not a PEM certificate ({ex.Message})"));
            return null;
        }

        if (chain.Count == 0)
        {
            problems.Add(new(Key, $"{tls.Certificate}: contains no PEM certificate"));
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            using var pem = X509Certificate2.CreateFromPem(certificateText, keyText);

            // OpenSSL needs an exportable, persisted key for the server side of SslStream on Linux.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            var reason = keyText.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal) ? "encrypted private keys are not supported"
                : keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal) ? $"does not match the certificate {tls.Certificate}"
                : "contains no PEM private key";
            problems.Add(new("Tls.PrivateKey", $"{tls.PrivateKey}: {reason}"));
            return null;
        }

        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        if (notAfter <= now)
        {
            problems.Add(new(Key, $"expired on {Format(notAfter)} ({tls.Certificate}, {certificate.Subject})"));
            return null;
        }

        if (notBefore > now)
        {
            problems.Add(new(Key, $"not valid before {Format(notBefore)} ({tls.Certificate}, {certificate.Subject})"));
            return null;
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var element in chain)
        {
            if (!string.Equals(element.Thumbprint, certificate.Thumbprint, StringComparison.Ordinal))
            {
                intermediates.Add(element);
            }
        }

        if (ChainProblem(certificate, intermediates, trusted, now) is { } chainProblem)
        {
            problems.Add(new(Key, $"{tls.Certificate}: {chainProblem}"));
            return null;
        }

        return (certificate, intermediates);
    }

    // The certificate must chain to one of the trusted CAs (a private PKI) or, through the intermediates in its file,
    // to the system store (a public CA); peers and carriers would refuse it otherwise.
    private static string? ChainProblem(X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection trusted, DateTimeOffset now)
    {
        string? Build(bool system)
        {
            using var chain = new X509Chain();
            var policy = chain.ChainPolicy;
            policy.RevocationMode = X509RevocationMode.NoCheck;
            policy.DisableCertificateDownloads = true;
            policy.VerificationTime = now.UtcDateTime;
            policy.ExtraStore.AddRange(intermediates);
            if (!system)
            {
                policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                policy.CustomTrustStore.AddRange(trusted);
            }

            if (chain.Build(certificate))
            {
                return null;
            }

            return string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct(StringComparer.Ordinal));
        }

        var custom = trusted.Count > 0 ? Build(system: false) : "no trusted CA";
        if (custom is null || Build(system: true) is null)
        {
            return null;
        }

        return $"does not chain to a trusted CA or the system store ({custom})";
    }

    private static void LoadCas(
        string key,
        string path,
        DateTimeOffset now,
        IncrementalHash fingerprint,
        X509Certificate2Collection trusted,
        List<(string Key, string Path, X509Certificate2 Certificate)> sources,
        List<ConfigProblem> problems,
        List<ConfigProblem> warnings)
    {
        if (Read(key, path, fingerprint, problems) is not { } bytes)
        {
            return;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Encoding.ASCII.GetString(bytes));
        }
        catch (CryptographicException ex)
        {
            problems.Add(new(key, $"{path}: not a PEM certificate ({ex.Message})"));
            return;
        }

        if (certificates.Count == 0)
        {
            problems.Add(new(key, $"{path}: contains no PEM certificate"));
            return;
        }

        var expired = certificates.Where(c => c.NotAfter.ToUniversalTime() <= now.UtcDateTime).ToList();
        if (expired.Count == certificates.Count)
        {
            // Nothing in the file could verify anyone: a mistake, not a rotation.
            var notAfter = new DateTimeOffset(expired.Max(c => c.NotAfter).ToUniversalTime(), TimeSpan.Zero);
            problems.Add(new(key, $"expired on {Format(notAfter)} ({path}, {expired[0].Subject})"));
            return;
        }

        foreach (var certificate in expired)
        {
            warnings.Add(new(key, $"expired on {Format(new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero))} ({path}, {certificate.Subject}); the file's other CAs are used"));
        }

        foreach (var certificate in certificates)
        {
            trusted.Add(certificate);
            sources.Add((key, path, certificate));
        }
    }

    private static byte[]? Read(string key, string path, IncrementalHash fingerprint, List<ConfigProblem> problems)
    {
        if (string.IsNullOrEmpty(path))
        {
            problems.Add(new(key, "required"));
            return null;
        }

        try
        {
            var bytes = File.ReadAllBytes(path);
            fingerprint.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
            fingerprint.AppendData(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            problems.Add(new(key, $"file not found: {path}"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new(key, $"cannot read {path}: {ex.Message}"));
        }

        return null;
    }

    private static string Format(DateTimeOffset moment) => moment.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);
}
