using System.Runtime.CompilerServices;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>The proxy's <see cref="IFlowConnector"/> over the real transports: one outbound connection per carrier.</summary>
public sealed class TransportFlowConnector : IFlowConnector
{
    private readonly SipTransportService _transports;
    private readonly ConditionalWeakTable<CarrierDefinition, OutboundTarget> _targets = [];

    /// <summary>Creates the connector.</summary>
    public TransportFlowConnector(SipTransportService transports) => _transports = transports;

    /// <inheritdoc/>
    public ValueTask<SipFlow> ConnectAsync(CarrierDefinition carrier, CancellationToken cancellationToken) =>
        _transports.ConnectAsync(_targets.GetValue(carrier, ToTarget), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SipFlow> ConnectAsync(OutboundTarget target, CancellationToken cancellationToken) =>
        _transports.ConnectAsync(target, cancellationToken);

    /// <inheritdoc/>
    public SipFlow? FindFlow(long id) => _transports.FindFlow(id);

    /// <summary>Where and how to reach <paramref name="carrier"/>: the key is its name, so its connection is reused.</summary>
    public static OutboundTarget ToTarget(CarrierDefinition carrier)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        return new OutboundTarget
        {
            Key = carrier.Name,
            Transport = carrier.Transport,
            Host = carrier.Host,
            Port = carrier.Port,
            TlsServerName = carrier.TlsServerName,
            TrustedCaCertificates = carrier.TrustedCaCertificates,
            Sha256Pin = carrier.Sha256Fingerprint,
        };
    }
}
