using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Proxy;

/// <summary>An in-memory flow that records what is sent down it.</summary>
internal sealed class RecordingFlow : SipFlow
{
    private static long s_nextId = 1000;
    private bool _closed;

    public RecordingFlow(SipTransportKind transport = SipTransportKind.Tls, int localPort = 5061, int remotePort = 40000, string? outboundKey = null, string? listener = "peers", IReadOnlyList<string>? identities = null, string? sha256 = null)
        : base(Interlocked.Increment(ref s_nextId), transport, new IPEndPoint(IPAddress.Loopback, localPort), new IPEndPoint(IPAddress.Loopback, remotePort))
    {
        OutboundKey = outboundKey;
        ListenerName = outboundKey is null ? listener : null;
        if (transport == SipTransportKind.Tls && identities is not null)
        {
            Tls = new TlsSessionInfo(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256, identities.Count > 0 ? "CN=" + identities[0] : null, identities, sha256);
        }
    }

    public ConcurrentQueue<byte[]> Sent { get; } = new();

    public override bool IsClosed => _closed;

    public override bool TrySend(ReadOnlyMemory<byte> message)
    {
        if (_closed)
        {
            return false;
        }

        Sent.Enqueue(message.ToArray());
        return true;
    }

    public override void Close(string reason) => _closed = true;

    public IReadOnlyList<SipMessage> SentMessages() => [.. Sent.Select(b => SipParser.Parse(b).Message!)];

    public static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
