using System.Security.Cryptography.X509Certificates;
using SipTrunk.Configuration;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Hosting;

/// <summary>Turns the validated configuration records into the engine's model (Core knows nothing of configuration).</summary>
internal static class EngineModel
{
    /// <summary>The engine's view of a peer.</summary>
    public static PeerDefinition ToPeer(PeerOptions peer) => new()
    {
        Name = peer.Name,
        CertificateSubject = peer.Certificate.Subject ?? peer.Name,
        Sha256Fingerprint = NormalizeFingerprint(peer.Certificate.Sha256Fingerprint),
        Numbers = peer.Numbers,
        MaxConcurrentCalls = peer.MaxConcurrentCalls,
    };

    /// <summary>The engine's view of a carrier; <paramref name="defaultTrust"/> is <c>Tls.TrustedCaCertificates</c>.</summary>
    public static CarrierDefinition ToCarrier(CarrierOptions carrier, X509Certificate2Collection defaultTrust)
    {
        var uri = SipUri.Parse(carrier.Uri);
        var transport = uri.IsSecure || string.Equals(uri.Transport, "tls", StringComparison.OrdinalIgnoreCase)
            ? SipTransportKind.Tls
            : string.Equals(uri.Transport, "tcp", StringComparison.OrdinalIgnoreCase) ? SipTransportKind.Tcp : SipTransportKind.Udp;
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
        };
    }

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
