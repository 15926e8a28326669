using System.Globalization;
using SipTrunk.IntegrationTests.Registrar;
using SipTrunk.Sip.Messages;

namespace SipTrunk.IntegrationTests.Cli;

/// <summary>
/// An INVITE without SDP that a <see cref="SipTestPeer"/> sends to a number SipTrunk refuses (no route, say), with its
/// digest answer if challenged, and the ACK of each final response (RFC 3261 §17.1.1.3).
/// </summary>
internal static class SipTestInvite
{
    /// <summary>Sends the INVITE; a 407 is answered once with <paramref name="password"/>. Returns the final response.</summary>
    public static async Task<SipResponse?> SendAsync(SipTestPeer peer, string number, string callId, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var uri = $"sip:{number}@localhost";
        var response = await peer.SendAsync(Invite(peer.User, uri, callId, 1, out var branch));
        if (response is null)
        {
            return null;
        }

        await peer.SendOnlyAsync(Ack(peer.User, uri, callId, 1, branch, response));
        if (response.StatusCode != 407 || password is null)
        {
            return response;
        }

        var credentials = peer.Answer(response, "INVITE", uri, peer.User, password);
        response = await peer.SendAsync(Invite(peer.User, uri, callId, 2, out branch), "Proxy-Authorization: " + credentials);
        if (response is not null)
        {
            await peer.SendOnlyAsync(Ack(peer.User, uri, callId, 2, branch, response));
        }

        return response;
    }

    private static string Invite(string user, string uri, string callId, int cseq, out string branch)
    {
        branch = "z9hG4bK" + Guid.NewGuid().ToString("N");
        return string.Create(CultureInfo.InvariantCulture, $"""
            INVITE {uri} SIP/2.0
            Via: SIP/2.0/TLS 127.0.0.1:5099;branch={branch};rport
            Max-Forwards: 70
            From: <sip:{user}@localhost>;tag=inv
            To: <{uri}>
            Call-ID: {callId}
            CSeq: {cseq} INVITE
            Contact: <sip:{user}@127.0.0.1:5099;transport=tls>

            """);
    }

    private static string Ack(string user, string uri, string callId, int cseq, string branch, SipResponse response) => string.Create(CultureInfo.InvariantCulture, $"""
        ACK {uri} SIP/2.0
        Via: SIP/2.0/TLS 127.0.0.1:5099;branch={branch};rport
        Max-Forwards: 70
        From: <sip:{user}@localhost>;tag=inv
        To: <{uri}>;tag={response.To?.Tag}
        Call-ID: {callId}
        CSeq: {cseq} ACK
        Content-Length: 0


        """);
}
