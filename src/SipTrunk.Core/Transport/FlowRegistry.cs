using System.Collections.Concurrent;
using System.Net;

namespace SipTrunk.Core.Transport;

/// <summary>The open flows, by id and (for connections) by remote address: how responses find their way back.</summary>
internal sealed class FlowRegistry
{
    private readonly ConcurrentDictionary<long, SipFlow> _byId = new();
    private readonly ConcurrentDictionary<(SipTransportKind Transport, IPEndPoint Remote), SipFlow> _connections = new();

    public IEnumerable<SipFlow> All => _byId.Values;

    public void Add(SipFlow flow)
    {
        _byId[flow.Id] = flow;
        if (flow.IsReliable)
        {
            _connections[(flow.Transport, flow.RemoteEndPoint)] = flow;
        }
    }

    public void Remove(SipFlow flow)
    {
        _byId.TryRemove(new KeyValuePair<long, SipFlow>(flow.Id, flow));
        if (flow.IsReliable)
        {
            // Only if it is still this flow: a newer connection from the same address may have taken the slot.
            _connections.TryRemove(new KeyValuePair<(SipTransportKind, IPEndPoint), SipFlow>((flow.Transport, flow.RemoteEndPoint), flow));
        }
    }

    public SipFlow? Find(long id) => _byId.TryGetValue(id, out var flow) && !flow.IsClosed ? flow : null;

    public SipFlow? FindConnection(SipTransportKind transport, IPEndPoint remote) =>
        _connections.TryGetValue((transport, remote), out var flow) && !flow.IsClosed ? flow : null;
}
