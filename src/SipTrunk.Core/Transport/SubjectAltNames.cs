using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SipTrunk.Core.Transport;

/// <summary>
/// The subjectAltName entries of a certificate that identify SIP peers (RFC 5922 §7.1): dNSName, uniformResourceIdentifier
/// and iPAddress, plus the subject CN for the rare certificate without any of them.
/// </summary>
internal sealed class SubjectAltNames
{
    private const string SubjectAltNameOid = "2.5.29.17";

    private SubjectAltNames(List<string> dnsNames, List<string> uris, List<IPAddress> ipAddresses, string? commonName)
    {
        DnsNames = dnsNames;
        Uris = uris;
        IPAddresses = ipAddresses;
        CommonName = commonName;
    }

    public IReadOnlyList<string> DnsNames { get; }

    public IReadOnlyList<string> Uris { get; }

    public IReadOnlyList<IPAddress> IPAddresses { get; }

    /// <summary>The subject CN, or null when the subject has none.</summary>
    public string? CommonName { get; }

    /// <summary>
    /// The peer's identities in matching order: SAN DNS names, then SAN URIs; the CN only when there are neither
    /// (RFC 5922 §7.1 falls back to the CN only without SANs; CONTRACT.md §3).
    /// </summary>
    public IReadOnlyList<string> PeerIdentities => DnsNames.Count + Uris.Count > 0
        ? [.. DnsNames, .. Uris]
        : CommonName is { Length: > 0 } cn ? [cn] : [];

    public static SubjectAltNames Read(X509Certificate2 certificate)
    {
        var dns = new List<string>();
        var uris = new List<string>();
        var ips = new List<IPAddress>();
        var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (certificate.Extensions[SubjectAltNameOid] is { } extension)
        {
            try
            {
                ReadGeneralNames(extension.RawData, dns, uris, ips);
            }
            catch (Exception ex) when (ex is AsnContentException or CryptographicException)
            {
                // A malformed SAN proves nothing, and must not let the CN stand in for it either.
                return new SubjectAltNames([], [], [], null);
            }
        }

        return new SubjectAltNames(dns, uris, ips, string.IsNullOrEmpty(cn) ? null : cn);
    }

    /// <summary>
    /// True when the certificate proves <paramref name="serverName"/> (RFC 5922 §7.2, RFC 6125 §6): an IP literal must be
    /// a SAN iPAddress; a domain must equal a SAN dNSName or the host of a <c>sip:</c>/<c>sips:</c> SAN URI, compared
    /// case-insensitively and without wildcards (RFC 5922 §7.2 forbids them for SIP domains); the CN counts only when
    /// the certificate has no such SAN at all (RFC 6125 §6.4.4).
    /// </summary>
    public bool Matches(string serverName)
    {
        var name = serverName.Trim('[', ']');
        if (IPAddress.TryParse(name, out var address))
        {
            var wanted = Normalize(address);
            return IPAddresses.Any(a => Normalize(a).Equals(wanted));
        }

        name = name.TrimEnd('.');
        if (DnsNames.Any(d => SameHost(d, name)))
        {
            return true;
        }

        if (Uris.Any(u => TryGetSipDomain(u, out var domain) && SameHost(domain, name)))
        {
            return true;
        }

        return DnsNames.Count + Uris.Count + IPAddresses.Count == 0 && CommonName is not null && SameHost(CommonName, name);
    }

    private static bool SameHost(string certified, string wanted) =>
        string.Equals(certified.TrimEnd('.'), wanted, StringComparison.OrdinalIgnoreCase);

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // RFC 5922 §7.1: a URI SAN identifies a SIP domain when it is sip:/sips: with a host and no user part.
    private static bool TryGetSipDomain(string uri, out string domain)
    {
        domain = "";
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var scheme = uri[..colon];
        if (!scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = uri[(colon + 1)..];
        if (rest.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var end = rest.AsSpan().IndexOfAny(":;?");
        domain = end < 0 ? rest : rest[..end];
        return domain.Length > 0;
    }

    // RFC 5280 §4.2.1.6: SubjectAltName ::= GeneralNames ::= SEQUENCE OF GeneralName (CHOICE of context-tagged values).
    private static void ReadGeneralNames(byte[] der, List<string> dns, List<string> uris, List<IPAddress> ips)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var dnsTag = new Asn1Tag(TagClass.ContextSpecific, 2);
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        var ipTag = new Asn1Tag(TagClass.ContextSpecific, 7);
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag == dnsTag)
            {
                dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, dnsTag));
            }
            else if (tag == uriTag)
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
            }
            else if (tag == ipTag)
            {
                var bytes = names.ReadOctetString(ipTag);
                if (bytes.Length is 4 or 16)
                {
                    ips.Add(new IPAddress(bytes));
                }
            }
            else
            {
                names.ReadEncodedValue();
            }
        }
    }
}
