using System.Net;
using System.Text;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transactions;

/// <summary>An in-memory flow: records what is sent (with the virtual time), can refuse sends, reliable unless UDP.</summary>
internal sealed class TestFlow : SipFlow
{
    private readonly TimeProvider _time;
    private readonly List<(DateTimeOffset At, byte[] Bytes)> _sent = [];
    private bool _closed;

    public TestFlow(SipTransportKind transport, TimeProvider time, long id = 1)
        : base(id, transport, new IPEndPoint(IPAddress.Loopback, 5061), new IPEndPoint(IPAddress.Loopback, 40000 + (int)id))
    {
        _time = time;
    }

    /// <summary>When true, <see cref="TrySend"/> returns false (a full send queue).</summary>
    public bool RefuseSends { get; set; }

    public override bool IsClosed => _closed;

    /// <summary>How many messages were accepted.</summary>
    public int SentCount
    {
        get
        {
            lock (_sent)
            {
                return _sent.Count;
            }
        }
    }

    /// <summary>The virtual times at which messages were accepted.</summary>
    public IReadOnlyList<DateTimeOffset> SentTimes
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent.Select(s => s.At)];
            }
        }
    }

    /// <summary>Every accepted message, parsed.</summary>
    public IReadOnlyList<SipMessage> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent.Select(s => SipText.Parse(s.Bytes))];
            }
        }
    }

    /// <summary>The last accepted message, parsed.</summary>
    public SipMessage Last => Sent[^1];

    /// <summary>The start lines of every accepted message.</summary>
    public IReadOnlyList<string> StartLines => [.. Sent.Select(m => Encoding.Latin1.GetString(m.StartLine))];

    public override bool TrySend(ReadOnlyMemory<byte> message)
    {
        if (_closed || RefuseSends)
        {
            return false;
        }

        lock (_sent)
        {
            _sent.Add((_time.GetUtcNow(), message.ToArray()));
        }

        return true;
    }

    public override void Close(string reason) => _closed = true;
}
