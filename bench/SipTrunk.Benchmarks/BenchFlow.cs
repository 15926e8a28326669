using System.Net;
using SipTrunk.Core.Transport;

namespace SipTrunk.Benchmarks;

/// <summary>A flow that is never opened: <see cref="SipTrunk.Core.Proxy.ProxyMessageFactory"/> only reads its addresses.</summary>
internal sealed class BenchFlow : SipFlow
{
    public BenchFlow(long id, IPEndPoint localEndPoint, IPEndPoint remoteEndPoint, string? listenerName)
        : base(id, SipTransportKind.Tls, localEndPoint, remoteEndPoint)
    {
        ListenerName = listenerName;
    }

    public override bool IsClosed => false;

    public override bool TrySend(ReadOnlyMemory<byte> message) => true;

    public override void Close(string reason)
    {
    }
}
