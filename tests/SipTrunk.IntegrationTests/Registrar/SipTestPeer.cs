using System.Globalization;
using SipTrunk.Core.Auth;
using SipTrunk.Sip.Messages;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Registrar;

/// <summary>
/// A hand-driven SIP peer over one mTLS connection to SipTrunk: sends REGISTER/INVITE text it builds itself and reads
/// the answers, so a test controls every header (credentials, nonce counts, replays) exactly.
/// </summary>
internal sealed class SipTestPeer : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly TlsSipClient _client;
    private int _cseq;

    private SipTestPeer(TlsSipClient client, string user)
    {
        _client = client;
        User = user;
    }

    public string User { get; }

    public string CallId { get; } = Guid.NewGuid().ToString("N") + "@test";

    /// <summary>Every Authorization/Proxy-Authorization value this peer sent (the secrets a log must never show).</summary>
    public List<string> SentCredentials { get; } = [];

    public static async Task<SipTestPeer> ConnectAsync(int port, CertificateFiles certificate, string caPath, string user) =>
        new(await TlsSipClient.ConnectAsync(port, certificate, caPath), user);

    /// <summary>Sends a REGISTER for <see cref="User"/>@localhost (with <paramref name="authorization"/> if given) and returns the final response.</summary>
    public async Task<SipResponse?> RegisterAsync(string? authorization = null, int expires = 600)
    {
        var cseq = ++_cseq;
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            REGISTER sip:localhost SIP/2.0
            Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK{Guid.NewGuid():N};rport
            Max-Forwards: 70
            From: <sip:{User}@localhost>;tag=reg{cseq}
            To: <sip:{User}@localhost>
            Call-ID: {CallId}
            CSeq: {cseq} REGISTER
            Contact: <sip:{User}@127.0.0.1:5099;transport=tls>;expires={expires}
            User-Agent: SipTestPeer

            """);
        return await SendAsync(text, authorization is null ? null : "Authorization: " + authorization).ConfigureAwait(false);
    }

    /// <summary>Registers, answering one challenge with <paramref name="password"/>; returns the final response.</summary>
    public async Task<SipResponse?> RegisterWithPasswordAsync(string password, string? username = null)
    {
        var challenge = await RegisterAsync().ConfigureAwait(false);
        if (challenge?.StatusCode != 401)
        {
            return challenge;
        }

        return await RegisterAsync(Answer(challenge, "REGISTER", "sip:localhost", username ?? User, password)).ConfigureAwait(false);
    }

    /// <summary>Credentials for the strongest challenge in <paramref name="challenge"/>, remembered in <see cref="SentCredentials"/>.</summary>
    public string Answer(SipResponse challenge, string method, string uri, string username, string password)
    {
        Assert.True(DigestClientAuthenticator.TrySelectChallenge(challenge, out var selected, out _, out var error), error);
        Assert.True(DigestClientAuthenticator.TryCreateCredentials(selected, method, uri, username, password, [], out var credentials, out var createError), createError);
        SentCredentials.Add(credentials);
        return credentials;
    }

    /// <summary>Sends <paramref name="request"/> (a header block ending in an empty line; Content-Length is added) and returns its first non-100 response.</summary>
    public async Task<SipResponse?> SendAsync(string request, string? extraHeader = null, string body = "")
    {
        var head = request.ReplaceLineEndings("\r\n").TrimEnd('\r', '\n');
        var text = head + "\r\n" + (extraHeader is null ? "" : extraHeader + "\r\n")
            + "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture) + "\r\n\r\n" + body;
        await _client.SendAsync(text).ConfigureAwait(false);
        return await ReadResponseAsync().ConfigureAwait(false);
    }

    /// <summary>Sends without waiting for an answer.</summary>
    public Task SendOnlyAsync(string text) => _client.SendAsync(text.ReplaceLineEndings("\r\n"));

    /// <summary>The next response other than 100 Trying, or null when the connection closed (nothing within 10 s throws).</summary>
    public async Task<SipResponse?> ReadResponseAsync()
    {
        while (true)
        {
            var text = await _client.ReadMessageAsync(ReadTimeout).ConfigureAwait(false);
            if (text is null)
            {
                return null;
            }

            var message = SipParser.Parse(System.Text.Encoding.Latin1.GetBytes(text)).Message;
            if (message is SipResponse { StatusCode: not 100 } response)
            {
                return response;
            }
        }
    }

    /// <summary>Every value of <paramref name="header"/> in <paramref name="message"/>.</summary>
    public static List<string> Values(SipMessage message, HeaderId header)
    {
        var values = new List<string>();
        foreach (var value in message.GetValues(header))
        {
            values.Add(value.ToString());
        }

        return values;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
