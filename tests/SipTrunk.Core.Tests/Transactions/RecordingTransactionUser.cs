using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transactions;

/// <summary>
/// Records what the layer hands to the transaction user; optionally answers requests at once. Safe to call from many
/// threads (the layer calls it from receive loops and timers); read the lists once the calls are over.
/// </summary>
internal sealed class RecordingTransactionUser : ITransactionUser
{
    private readonly Lock _gate = new();

    public List<ServerTransaction> Requests { get; } = [];

    public List<SipRequest> Acks { get; } = [];

    public List<SipResponse> StrayResponses { get; } = [];

    /// <summary>Called for each new request (e.g. to respond from inside the callback).</summary>
    public Action<ServerTransaction>? OnRequestAction { get; set; }

    public void OnRequest(ServerTransaction transaction)
    {
        lock (_gate)
        {
            Requests.Add(transaction);
        }

        OnRequestAction?.Invoke(transaction);
    }

    public void OnAck(SipRequest ack, SipFlow flow)
    {
        lock (_gate)
        {
            Acks.Add(ack);
        }
    }

    public void OnStrayResponse(SipResponse response, SipFlow flow)
    {
        lock (_gate)
        {
            StrayResponses.Add(response);
        }
    }
}
