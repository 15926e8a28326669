using System.Net;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// The running configuration the proxy routes with: peers, carriers and routes, indexed for lookups. Immutable; a
/// reload builds a new one and swaps it atomically (ARCHITECTURE.md).
/// </summary>
public sealed class ProxySnapshot
{
    private readonly Dictionary<string, PeerDefinition> _peersBySubject;
    private readonly Dictionary<string, PeerDefinition> _peersByName;
    private readonly Dictionary<string, CarrierDefinition> _carriersByName;
    private readonly Dictionary<string, CarrierDefinition> _carriersBySubject;
    private readonly Dictionary<IPAddress, CarrierDefinition> _plainCarriersByAddress;
    private readonly Dictionary<string, PeerDefinition> _peersByNumberPrefix;
    private readonly int _longestNumberPrefix;

    /// <summary>Builds a snapshot; names and subjects are unique (the host's validator guarantees it).</summary>
    public ProxySnapshot(
        IReadOnlyList<PeerDefinition> peers,
        IReadOnlyList<CarrierDefinition> carriers,
        IReadOnlyList<RouteDefinition> routes,
        INumberNormalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(carriers);
        Peers = peers;
        Carriers = carriers;
        Routes = new RouteTable(routes, carriers);
        Normalizer = normalizer;
        _peersBySubject = peers.ToDictionary(p => p.CertificateSubject, StringComparer.OrdinalIgnoreCase);
        _peersByName = peers.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _carriersByName = carriers.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _peersByNumberPrefix = new Dictionary<string, PeerDefinition>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            foreach (var prefix in peer.Numbers)
            {
                var normalized = normalizer.Normalize(prefix) ?? prefix;
                _peersByNumberPrefix.TryAdd(normalized, peer);
                _longestNumberPrefix = Math.Max(_longestNumberPrefix, normalized.Length);
            }
        }

        _carriersBySubject = new Dictionary<string, CarrierDefinition>(StringComparer.OrdinalIgnoreCase);
        _plainCarriersByAddress = [];
        foreach (var carrier in carriers)
        {
            _carriersBySubject.TryAdd(carrier.CertificateSubject, carrier);
            if (carrier.Transport != SipTransportKind.Tls && IPAddress.TryParse(carrier.Host, out var address))
            {
                _plainCarriersByAddress.TryAdd(address, carrier);
            }
        }
    }

    public IReadOnlyList<PeerDefinition> Peers { get; }

    public IReadOnlyList<CarrierDefinition> Carriers { get; }

    public RouteTable Routes { get; }

    public INumberNormalizer Normalizer { get; }

    /// <summary>A carrier by its configured name.</summary>
    public CarrierDefinition? FindCarrier(string name) => _carriersByName.GetValueOrDefault(name);

    /// <summary>
    /// The peer whose <c>Numbers</c> has the longest prefix of the normalized <paramref name="number"/> (CONTRACT.md §3:
    /// where a carrier's call goes), or <see langword="null"/>.
    /// </summary>
    public PeerDefinition? FindPeerByNumber(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var lookup = _peersByNumberPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = Math.Min(number.Length, _longestNumberPrefix); length > 0; length--)
        {
            if (lookup.TryGetValue(number.AsSpan(0, length), out var peer))
            {
                return peer;
            }
        }

        return null;
    }

    /// <summary>A peer by its configured name.</summary>
    public PeerDefinition? FindPeer(string name) => _peersByName.GetValueOrDefault(name);

    /// <summary>
    /// Who is on the other end of <paramref name="flow"/> (CONTRACT.md §3): SipTrunk's own connection to a carrier; a
    /// TLS client certificate proving a peer's or a carrier's identity (and pin, where set); or, on plain transports,
    /// a carrier's configured IP address. Everyone else is unknown.
    /// </summary>
    public RequestSource Identify(SipFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (flow.OutboundKey is { } key && _carriersByName.TryGetValue(key, out var own))
        {
            return new RequestSource(RequestSourceKind.Carrier, null, own, null);
        }

        if (flow.Tls is { } tls)
        {
            if (tls.PeerIdentities.Count == 0)
            {
                return new RequestSource(RequestSourceKind.Unknown, null, null, "no client certificate");
            }

            string? pinMismatch = null;
            foreach (var identity in tls.PeerIdentities)
            {
                if (_peersBySubject.TryGetValue(identity, out var peer))
                {
                    if (PinMatches(peer.Sha256Fingerprint, tls.PeerCertificateSha256))
                    {
                        return new RequestSource(RequestSourceKind.Peer, peer, null, null);
                    }

                    pinMismatch = $"certificate of peer {peer.Name} does not match its pinned fingerprint";
                }
                else if (_carriersBySubject.TryGetValue(identity, out var carrier))
                {
                    if (PinMatches(carrier.Sha256Fingerprint, tls.PeerCertificateSha256))
                    {
                        return new RequestSource(RequestSourceKind.Carrier, null, carrier, null);
                    }

                    pinMismatch = $"certificate of carrier {carrier.Name} does not match its pinned fingerprint";
                }
            }

            return new RequestSource(RequestSourceKind.Unknown, null, null, pinMismatch ?? $"certificate identity {tls.PeerIdentities[0]} matches no peer or carrier");
        }

        var remote = flow.RemoteEndPoint.Address.IsIPv4MappedToIPv6 ? flow.RemoteEndPoint.Address.MapToIPv4() : flow.RemoteEndPoint.Address;
        return _plainCarriersByAddress.TryGetValue(remote, out var plain)
            ? new RequestSource(RequestSourceKind.Carrier, null, plain, null)
            : new RequestSource(RequestSourceKind.Unknown, null, null, $"{flow.Transport} source {remote} is no configured carrier");
    }

    private static bool PinMatches(string? pin, string? actual) =>
        pin is null || (actual is not null && string.Equals(pin, actual, StringComparison.OrdinalIgnoreCase));
}
