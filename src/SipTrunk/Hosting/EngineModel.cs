using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SipTrunk.Configuration;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Media;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Hosting;

/// <summary>Turns the validated configuration records into the engine's model (Core knows nothing of configuration).</summary>
internal static class EngineModel
{
    /// <summary>The engine's view of a peer; <paramref name="defaultTrust"/> verifies the server certificate behind its static <c>Uri</c>.</summary>
    public static PeerDefinition ToPeer(PeerOptions peer, X509Certificate2Collection defaultTrust)
    {
        var subject = peer.Certificate.Subject ?? peer.Name;
        return new PeerDefinition
        {
            Name = peer.Name,
            CertificateSubject = subject,
            Sha256Fingerprint = NormalizeFingerprint(peer.Certificate.Sha256Fingerprint),
            Credentials = peer.Digest is { } digest
                ? new PeerCredentials(digest.Username, digest.Ha1Sha256?.ToLowerInvariant(), digest.Ha1Md5?.ToLowerInvariant())
                : null,
            AllowedNetworks = [.. peer.AllowedNetworks.Select(IpNetwork.Parse)],
            Numbers = peer.Numbers,
            MaxConcurrentCalls = peer.MaxConcurrentCalls,
            Srtp = ToLegPolicy(peer.Srtp),
            MaxCallsPerSecond = peer.MaxCallsPerSecond,
            Register = peer.Register,
            Uri = peer.Uri,
            UriTarget = peer.Uri is null ? null : ToPeerTarget(peer, subject, defaultTrust),
        };
    }

    // A peer reached at its static Uri must prove the identity its client certificate proves, with the same pin.
    private static OutboundTarget ToPeerTarget(PeerOptions peer, string subject, X509Certificate2Collection defaultTrust)
    {
        var uri = SipUri.Parse(peer.Uri!);
        var transport = TransportOf(uri);
        return new OutboundTarget
        {
            Key = "peer:" + peer.Name,
            Transport = transport,
            Host = uri.Host,
            Port = uri.Port ?? (transport == SipTransportKind.Tls ? 5061 : 5060),
            TlsServerName = subject,
            TrustedCaCertificates = defaultTrust,
            Sha256Pin = NormalizeFingerprint(peer.Certificate.Sha256Fingerprint),
        };
    }

    private static SipTransportKind TransportOf(SipUri uri) =>
        uri.IsSecure || string.Equals(uri.Transport, "tls", StringComparison.OrdinalIgnoreCase)
            ? SipTransportKind.Tls
            : string.Equals(uri.Transport, "tcp", StringComparison.OrdinalIgnoreCase) ? SipTransportKind.Tcp : SipTransportKind.Udp;

    /// <summary>The engine's view of a carrier; <paramref name="defaultTrust"/> is <c>Tls.TrustedCaCertificates</c>.</summary>
    public static CarrierDefinition ToCarrier(CarrierOptions carrier, X509Certificate2Collection defaultTrust)
    {
        var uri = SipUri.Parse(carrier.Uri);
        var transport = TransportOf(uri);
        var serverName = carrier.TlsServerName ?? uri.Host.Trim('[', ']');
        X509Certificate2Collection? trust = carrier.TrustedCaCertificates switch
        {
            null => defaultTrust,
            [CarrierOptions.SystemTrustStore] => null,
            var files => LoadCertificates(files),
        };
        return new CarrierDefinition
        {
            Name = carrier.Name,
            Uri = uri,
            Transport = transport,
            TlsServerName = serverName,
            CertificateSubject = carrier.Certificate.Subject ?? serverName,
            Sha256Fingerprint = NormalizeFingerprint(carrier.Certificate.Sha256Fingerprint),
            TrustedCaCertificates = trust,
            Priority = carrier.Priority,
            Weight = carrier.Weight,
            AuthUsername = carrier.Auth.Username,
            AuthPassword = carrier.Auth.Password,
            HealthCheckInterval = TimeSpan.FromSeconds(carrier.HealthCheck.OptionsIntervalSeconds),
            FailuresBeforeDown = carrier.HealthCheck.FailuresBeforeDown,
            MaxConcurrentCalls = carrier.MaxConcurrentCalls,
            Srtp = ToLegPolicy(carrier.Srtp),
        };
    }

    private static LegSrtpPolicy ToLegPolicy(SrtpPolicy policy) => policy switch
    {
        SrtpPolicy.Optional => LegSrtpPolicy.Optional,
        SrtpPolicy.None => LegSrtpPolicy.None,
        _ => LegSrtpPolicy.Require,
    };

    /// <summary>
    /// The address rewritten SDP carries: <c>Media:AdvertisedAddress</c>, else <c>Media:Address</c> when it is a specific
    /// address, else the first up, non-loopback IPv4 address of this host (loopback when there is none).
    /// </summary>
    public static IPAddress MediaAdvertisedAddress(MediaOptions media)
    {
        if (media.AdvertisedAddress is { } advertised)
        {
            return IPAddress.Parse(advertised);
        }

        var bind = IPAddress.Parse(media.Address);
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
        {
            return bind;
        }

        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }

        return IPAddress.Loopback;
    }

    /// <summary>The proxy's running configuration: peers, carriers, routes and number normalization.</summary>
    public static ProxySnapshot ToSnapshot(SipTrunkOptions options, X509Certificate2Collection defaultTrust) => new(
        [.. options.Peers.Select(p => ToPeer(p, defaultTrust))],
        [.. options.Carriers.Select(c => ToCarrier(c, defaultTrust))],
        ToRoutes(options),
        NumberNormalizers.Create(options.Routing.NumberNormalization.ToString()));

    /// <summary>The routes as configured.</summary>
    public static IReadOnlyList<RouteDefinition> ToRoutes(SipTrunkOptions options) =>
        [.. options.Routes.Select(r => new RouteDefinition(r.Prefix, r.Carriers))];

    /// <summary>Every certificate in the given PEM files (the files were checked by the validator).</summary>
    public static X509Certificate2Collection LoadCertificates(IEnumerable<string> files)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in files)
        {
            collection.ImportFromPemFile(file);
        }

        return collection;
    }

    /// <summary>A configured fingerprint as the transports report them: upper-case hex without colons.</summary>
    public static string? NormalizeFingerprint(string? fingerprint) =>
        fingerprint?.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The engine's transport kind for a configured listener transport.</summary>
    public static SipTransportKind ToTransport(SipTransport transport) => transport switch
    {
        SipTransport.Tls => SipTransportKind.Tls,
        SipTransport.Tcp => SipTransportKind.Tcp,
        _ => SipTransportKind.Udp,
    };
}
