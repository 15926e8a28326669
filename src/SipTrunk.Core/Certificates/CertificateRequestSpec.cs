using System.Net;

namespace SipTrunk.Core.Certificates;

/// <summary>What a <see cref="DevCertificateAuthority"/> should put in a leaf certificate.</summary>
public sealed record CertificateRequestSpec
{
    /// <summary>The name every dev server certificate covers, whatever <c>--host</c> adds.</summary>
    public const string Localhost = "localhost";

    /// <summary>The subject common name.</summary>
    public required string CommonName { get; init; }

    /// <summary>subjectAltName dNSName entries.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>subjectAltName iPAddress entries.</summary>
    public IReadOnlyList<IPAddress> IPAddresses { get; init; } = [];

    /// <summary>subjectAltName uniformResourceIdentifier entries (e.g. <c>sip:pbx-a@example.net</c>).</summary>
    public IReadOnlyList<Uri> Uris { get; init; } = [];

    /// <summary>The extendedKeyUsage purposes; <see cref="ExtendedKeyUsages.None"/> omits the extension.</summary>
    public ExtendedKeyUsages ExtendedKeyUsages { get; init; } = ExtendedKeyUsages.ServerAuth | ExtendedKeyUsages.ClientAuth;

    /// <summary>Start of validity; default: one hour before now, to tolerate clock skew between hosts.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>End of validity; default: <see cref="DevCertificateAuthority.DefaultLeafValidity"/> after now.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>
    /// SipTrunk's own certificate: CN = first of <paramref name="hosts"/> (else <c>localhost</c>); SAN localhost,
    /// 127.0.0.1, ::1 and each host. Both serverAuth and clientAuth, because SipTrunk presents the same certificate
    /// as a TLS client when it connects to carriers.
    /// </summary>
    /// <exception cref="ArgumentException">A host is neither an IP address nor a DNS name.</exception>
    public static CertificateRequestSpec ForServer(IEnumerable<string>? hosts = null)
    {
        var hostList = hosts?.ToList() ?? [];
        var spec = new CertificateRequestSpec
        {
            CommonName = hostList.Count > 0 ? HostName.Parse(hostList[0]).ToString() : Localhost,
            ExtendedKeyUsages = ExtendedKeyUsages.ServerAuth | ExtendedKeyUsages.ClientAuth,
        };
        return spec.WithHosts([Localhost, "127.0.0.1", "::1", .. hostList]);
    }

    /// <summary>A PBX's client certificate: CN and SAN DNS = <paramref name="name"/>, clientAuth only.</summary>
    public static CertificateRequestSpec ForPeer(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new CertificateRequestSpec
        {
            CommonName = name,
            DnsNames = [name],
            ExtendedKeyUsages = ExtendedKeyUsages.ClientAuth,
        };
    }

    /// <summary>
    /// A test carrier's certificate: CN and SAN DNS = <paramref name="name"/>, plus localhost and 127.0.0.1 since
    /// test carriers listen on loopback; serverAuth and clientAuth because a carrier both accepts SipTrunk's
    /// connections and opens its own.
    /// </summary>
    public static CertificateRequestSpec ForCarrier(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var spec = new CertificateRequestSpec
        {
            CommonName = name,
            ExtendedKeyUsages = ExtendedKeyUsages.ServerAuth | ExtendedKeyUsages.ClientAuth,
        };
        return spec.WithHosts([name, Localhost, "127.0.0.1"]);
    }

    /// <summary>
    /// A copy with <paramref name="hosts"/> added as SAN entries: IP literals (IPv4 dotted quad, IPv6, bracketed
    /// IPv6) as iPAddress, anything else as dNSName. Duplicates are dropped.
    /// </summary>
    /// <exception cref="ArgumentException">A host is neither an IP address nor a DNS name.</exception>
    public CertificateRequestSpec WithHosts(IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var dns = new List<string>(DnsNames);
        var ips = new List<IPAddress>(IPAddresses);
        foreach (var host in hosts)
        {
            var parsed = HostName.Parse(host);
            if (parsed.IPAddress is { } ip)
            {
                if (!ips.Contains(ip))
                {
                    ips.Add(ip);
                }
            }
            else if (!dns.Contains(parsed.DnsName!, StringComparer.OrdinalIgnoreCase))
            {
                dns.Add(parsed.DnsName!);
            }
        }

        return this with { DnsNames = dns, IPAddresses = ips };
    }
}
