namespace SipTrunk.Core.Certificates;

/// <summary>Extended key usages (RFC 5280 §4.2.1.12) a development certificate may carry.</summary>
[Flags]
public enum ExtendedKeyUsages
{
    /// <summary>No extendedKeyUsage extension at all.</summary>
    None = 0,

    /// <summary><c>id-kp-serverAuth</c>: may act as a TLS server.</summary>
    ServerAuth = 1,

    /// <summary><c>id-kp-clientAuth</c>: may act as a TLS client (mutual TLS).</summary>
    ClientAuth = 2,
}
