using System.Threading.Channels;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transport;

/// <summary>Records what the transport delivers, for tests to await in order.</summary>
internal sealed class RecordingSink : ISipMessageSink
{
    private readonly Channel<(SipMessage Message, SipFlow Flow)> _messages = Channel.CreateUnbounded<(SipMessage, SipFlow)>();
    private readonly Channel<(byte[] Frame, string Reason, SipFlow Flow)> _unparsable = Channel.CreateUnbounded<(byte[], string, SipFlow)>();
    private readonly Channel<SipFlow> _closed = Channel.CreateUnbounded<SipFlow>();

    public void OnMessage(SipMessage message, SipFlow flow) => _messages.Writer.TryWrite((message, flow));

    public void OnUnparsable(ReadOnlyMemory<byte> frame, string reason, SipFlow flow) =>
        _unparsable.Writer.TryWrite((frame.ToArray(), reason, flow));

    public void OnFlowClosed(SipFlow flow) => _closed.Writer.TryWrite(flow);

    public int PendingMessages => _messages.Reader.Count;

    public int PendingUnparsable => _unparsable.Reader.Count;

    public Task<(SipMessage Message, SipFlow Flow)> NextMessageAsync() => _messages.Reader.ReadAsync().AsTask().WaitAsync(Wire.Patience);

    public Task<(byte[] Frame, string Reason, SipFlow Flow)> NextUnparsableAsync() =>
        _unparsable.Reader.ReadAsync().AsTask().WaitAsync(Wire.Patience);

    public Task<SipFlow> NextClosedAsync() => _closed.Reader.ReadAsync().AsTask().WaitAsync(Wire.Patience);

    /// <summary>Waits until <paramref name="flow"/> is reported closed (other closures are skipped).</summary>
    public async Task WaitClosedAsync(SipFlow flow)
    {
        while (await NextClosedAsync() != flow)
        {
        }
    }
}
