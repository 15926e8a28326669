using System.Globalization;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Ends an answered call from the middle: a BYE to each party, built from the INVITE and the 2xx that set the dialog up
/// (RFC 3261 §12.2.1.1, §15.1.1), sent down the connections the call already uses. The parties' answers are not waited
/// for: the call is over either way.
/// </summary>
internal sealed class DialogTeardown : IClientTransactionUser
{
    /// <summary>The RFC 3326 Reason cause of a hang-up for want of media (as if the dialog had timed out).</summary>
    public const int TimeoutCause = 408;

    /// <summary>The RFC 3326 Reason cause of a hang-up because SipTrunk shuts down.</summary>
    public const int ShutdownCause = 503;

    // A CSeq above any the caller can have used in this dialog yet (RFC 3261 §12.2.1.1 asks only for "higher").
    private const uint CSeqStep = 1000;

    private readonly SipProxy _proxy;
    private int _done;

    private DialogTeardown(SipProxy proxy) => _proxy = proxy;

    /// <summary>
    /// SipTrunk ends an answered call itself: a later BYE finds nothing more to do, the peer's call slot is freed, and
    /// both parties get a BYE.
    /// </summary>
    public static void HangUp(SipProxy proxy, string peer, SipRequest invite, SipResponse answer, SipFlow callerFlow, SipFlow calleeFlow, string reason, int cause = TimeoutCause)
    {
        proxy.ForgetAnsweredCall(invite.CallId ?? "");
        SendByes(proxy, invite, answer, callerFlow, calleeFlow, reason, cause);
        proxy.OnCallFinished(peer);
    }

    /// <summary>Sends the two BYEs; <paramref name="cause"/> and <paramref name="reason"/> go into an RFC 3326 Reason header.</summary>
    public static void SendByes(SipProxy proxy, SipRequest invite, SipResponse answer, SipFlow callerFlow, SipFlow calleeFlow, string reason, int cause = TimeoutCause)
    {
        if (invite.CallId is not { } callId || invite.CSeq is not { } cseq
            || !invite.TryGetFirstValue(HeaderId.From, out var from) || !answer.TryGetFirstValue(HeaderId.To, out var to))
        {
            return;
        }

        var recordRoutes = new List<string>();
        foreach (var value in answer.GetValues(HeaderId.RecordRoute))
        {
            recordRoutes.Add(value.ToString());
        }

        var first = recordRoutes.FindIndex(value => IsOurs(proxy, value));
        var last = recordRoutes.FindLastIndex(value => IsOurs(proxy, value));
        // Record-Route lists the callee's nearest proxy first: the hops toward the callee are those above ours, nearest
        // first; the hops toward the caller are those below ours, in order.
        var towardCallee = first < 0 ? [] : recordRoutes[..first];
        towardCallee.Reverse();
        var towardCaller = last < 0 ? [] : recordRoutes[(last + 1)..];
        var sequence = (cseq.Sequence + CSeqStep) % CSeqHeader.Limit;
        var fromText = from.ToString();
        var toText = to.ToString();
        if (ContactUri(answer) is { } calleeTarget)
        {
            Send(proxy, calleeFlow, calleeTarget, towardCallee, fromText, toText, callId, sequence, reason, cause);
        }

        if (ContactUri(invite) is { } callerTarget)
        {
            Send(proxy, callerFlow, callerTarget, towardCaller, toText, fromText, callId, sequence, reason, cause);
        }
    }

    // The answers are not waited for by the call, only counted, so a stopping proxy can let its last BYEs go out.
    public void OnResponse(ClientTransaction transaction, SipResponse response)
    {
        if (response?.StatusCode >= 200)
        {
            Finish();
        }
    }

    public void OnTimeout(ClientTransaction transaction) => Finish();

    public void OnTransportError(ClientTransaction transaction) => Finish();

    private static void Send(SipProxy proxy, SipFlow flow, string target, List<string> routes, string from, string to, string callId, uint sequence, string reason, int cause)
    {
        if (flow.IsClosed)
        {
            return;
        }

        var branch = TransactionLayer.NewBranch();
        var builder = SipMessageBuilder.Request("BYE", target)
            .Add(HeaderId.Via, proxy.Messages.CreateVia(flow, branch))
            .Add(HeaderId.MaxForwards, "70");
        foreach (var route in routes)
        {
            builder.Add(HeaderId.Route, route);
        }

        builder.Add(HeaderId.From, from)
            .Add(HeaderId.To, to)
            .Add(HeaderId.CallId, callId)
            .Add(HeaderId.CSeq, sequence.ToString(CultureInfo.InvariantCulture) + " BYE")
            .Add("Reason", "SIP;cause=" + cause.ToString(CultureInfo.InvariantCulture) + ";text=\"" + reason + "\"");
        proxy.Transactions.AddProduct(builder, HeaderId.UserAgent);
        var user = new DialogTeardown(proxy);
        proxy.Teardowns.Add();
        proxy.Transactions.StartClientTransaction(flow, builder.ToArray(), branch, SipMethod.Bye, user);
    }

    private void Finish()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _proxy.Teardowns.Remove();
        }
    }

    private static bool IsOurs(SipProxy proxy, string recordRoute) =>
        NameAddress.TryParse(recordRoute, out var address, out _) && address.Uri is SipUri uri && proxy.Messages.IsLocal(uri, null);

    private static string? ContactUri(SipMessage message) =>
        message.TryGetFirstValue(HeaderId.Contact, out var contact) && NameAddress.TryParse(contact.ToString(), out var address, out _)
            ? address.Uri.ToString()
            : null;
}
