using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;

namespace SipTrunk.Core.Proxy;

/// <summary>The proxy's view of the transports: flows by id, and the one connection per carrier.</summary>
public interface IFlowConnector
{
    /// <summary>The open flow to <paramref name="carrier"/>, connecting (and verifying its TLS identity) if there is none.</summary>
    ValueTask<SipFlow> ConnectAsync(CarrierDefinition carrier, CancellationToken cancellationToken);

    /// <summary>The open flow for <paramref name="target"/> (one per key), connecting if there is none: a peer's static <c>Uri</c>.</summary>
    ValueTask<SipFlow> ConnectAsync(OutboundTarget target, CancellationToken cancellationToken);

    /// <summary>A flow by id, or null when it is gone.</summary>
    SipFlow? FindFlow(long id);
}
