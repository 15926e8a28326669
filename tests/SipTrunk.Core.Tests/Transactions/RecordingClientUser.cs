using SipTrunk.Core.Transactions;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Tests.Transactions;

/// <summary>Records a client transaction's reports in order, e.g. "180", "timeout", "transport-error".</summary>
internal sealed class RecordingClientUser : IClientTransactionUser
{
    public List<string> Events { get; } = [];

    public List<SipResponse> Responses { get; } = [];

    /// <summary>The <see cref="ClientTransaction.UserState"/> seen by each report.</summary>
    public List<object?> UserStates { get; } = [];

    public void OnResponse(ClientTransaction transaction, SipResponse response)
    {
        Events.Add(response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Responses.Add(response);
        UserStates.Add(transaction.UserState);
    }

    public void OnTimeout(ClientTransaction transaction)
    {
        Events.Add("timeout");
        UserStates.Add(transaction.UserState);
    }

    public void OnTransportError(ClientTransaction transaction)
    {
        Events.Add("transport-error");
        UserStates.Add(transaction.UserState);
    }
}
