using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Transport;

/// <summary>
/// Receives what the transports read. Called on the flow's receive loop: implementations must not block (queue work,
/// never wait on I/O), and must not throw.
/// </summary>
public interface ISipMessageSink
{
    /// <summary>A framed and parsed message.</summary>
    void OnMessage(SipMessage message, SipFlow flow);

    /// <summary>
    /// A complete frame the parser refused (<paramref name="reason"/> says why). The sink may answer 400 when the frame
    /// is a request with enough of its headers to address a response; the flow stays open.
    /// </summary>
    void OnUnparsable(ReadOnlyMemory<byte> frame, string reason, SipFlow flow);

    /// <summary>The flow closed (remote close, error, timeout or <see cref="SipFlow.Close"/>).</summary>
    void OnFlowClosed(SipFlow flow);
}
