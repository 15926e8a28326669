using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Core.Tests.Certificates;

/// <summary>Builds a chain the way SipTrunk validates peers: only the given CA is trusted.</summary>
internal static class TestChain
{
    public static (bool Ok, X509ChainStatusFlags Status) Build(X509Certificate2 leaf, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var ok = chain.Build(leaf);
        var status = X509ChainStatusFlags.NoError;
        foreach (var element in chain.ChainStatus)
        {
            status |= element.Status;
        }

        return (ok, status);
    }

    public static IReadOnlyList<string> ExtendedKeyUsageOids(X509Certificate2 certificate)
    {
        var oids = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension eku)
            {
                foreach (var oid in eku.EnhancedKeyUsages)
                {
                    oids.Add(oid.Value!);
                }
            }
        }

        return oids;
    }

    public static X509SubjectAlternativeNameExtension? SubjectAlternativeName(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                return san;
            }
        }

        return null;
    }
}
