using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Configuration;

/// <summary>Checks that configured PEM files exist and hold what they should. Each returns a reason, or <see langword="null"/>.</summary>
internal static class PemFileCheck
{
    public static string? CheckCertificates(string path)
    {
        if (ReadText(path, out var text) is { } unreadable)
        {
            return unreadable;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(text);
        }
        catch (CryptographicException ex)
        {
            return $"{path}: not a PEM certificate ({ex.Message})";
        }

        var count = certificates.Count;
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }

        return count == 0 ? $"{path}: contains no PEM certificate" : null;
    }

    public static string? CheckPrivateKey(string path)
    {
        if (ReadText(path, out var text) is { } unreadable)
        {
            return unreadable;
        }

        if (text.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            return $"{path}: encrypted private keys are not supported";
        }

        if (!text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return $"{path}: contains no PEM private key";
        }

        // Try the key types SslStream can serve with; ImportFromPem refuses a key of the other algorithm.
        using (var ecdsa = ECDsa.Create())
        {
            if (TryImport(ecdsa, text))
            {
                return null;
            }
        }

        using (var rsa = RSA.Create())
        {
            if (TryImport(rsa, text))
            {
                return null;
            }
        }

        return $"{path}: not a readable RSA or EC private key";
    }

    /// <summary>Whether the key belongs to the certificate; only meaningful when both files passed their own checks.</summary>
    public static string? CheckKeyMatchesCertificate(string certificatePath, string keyPath)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return null;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return $"{keyPath}: does not match the certificate {certificatePath}";
        }
    }

    private static bool TryImport(AsymmetricAlgorithm algorithm, string text)
    {
        try
        {
            algorithm.ImportFromPem(text);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static string? ReadText(string path, out string text)
    {
        text = "";
        try
        {
            text = File.ReadAllText(path);
            return null;
        }
        catch (FileNotFoundException)
        {
            return $"file not found: {path}";
        }
        catch (DirectoryNotFoundException)
        {
            return $"file not found: {path}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot read {path}: {ex.Message}";
        }
    }
}
