using System.Buffers;
using System.Globalization;
using System.Text;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// One baresip softphone account registering over TLS (client certificate plus MD5 digest) through an outbound proxy
/// on loopback. See <see cref="BaresipProcess"/> for the configuration this becomes and the quirks behind it.
/// </summary>
public sealed record BaresipOptions
{
    // baresip splits account parameters on ';' and ends the URI at '>', with no escaping of its own.
    private static readonly SearchValues<char> AccountLineSpecials = SearchValues.Create(";<>\" \t\r\n,");

    /// <summary>The TLS port of the SIP server baresip registers to (its outbound proxy).</summary>
    public required int ServerPort { get; init; }

    /// <summary>The SIP server's address (an IP literal; baresip does not check it against the server certificate).</summary>
    public string ServerHost { get; init; } = "127.0.0.1";

    /// <summary>The digest username (<c>auth_user</c>).</summary>
    public required string Username { get; init; }

    /// <summary>The digest password (<c>auth_pass</c>).</summary>
    public required string Password { get; init; }

    /// <summary>The user part of the address of record; the REGISTER's To and From.</summary>
    public required string AorUser { get; init; }

    /// <summary>The domain of the address of record, and the REGISTER's Request-URI host.</summary>
    public required string AorDomain { get; init; }

    /// <summary>The client certificate (PEM) presented in the TLS handshake.</summary>
    public required string ClientCertificatePemPath { get; init; }

    /// <summary>The key of <see cref="ClientCertificatePemPath"/> (PEM, PKCS#8 or SEC1).</summary>
    public required string ClientKeyPemPath { get; init; }

    /// <summary>The CA certificate baresip loads as <c>sip_cafile</c> (baresip 1.0 does not enforce it on the server).</summary>
    public required string CaPemPath { get; init; }

    /// <summary>Ring and wait for <c>accept</c>, or answer at once.</summary>
    public BaresipAnswerMode AnswerMode { get; init; } = BaresipAnswerMode.Manual;

    /// <summary>The account's <c>mediaenc</c> (e.g. <c>srtp-mand</c>); null sends plain RTP/AVP.</summary>
    public string? MediaEncryption { get; init; }

    /// <summary>The Expires baresip asks for in REGISTER (<c>regint</c>), in seconds.</summary>
    public int RegisterInterval { get; init; } = 600;

    /// <summary>The 127.0.0.1 port baresip listens on for SIP (its Contact and Via port); 0 lets it pick.</summary>
    public int LocalSipPort { get; init; }

    /// <summary>
    /// Register with SIP Outbound (RFC 5626, <c>sipnat=outbound</c>): +sip.instance and reg-id on the Contact, and the
    /// flow kept for incoming requests. On by default, as a PBX behind NAT would run.
    /// </summary>
    public bool UseSipOutbound { get; init; } = true;

    /// <summary>Where to write the configuration; null uses a fresh temporary directory deleted on dispose.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Raw <c>;name=value</c> account parameters appended to the account line, for an odd test.</summary>
    public IReadOnlyList<string> ExtraAccountParameters { get; init; } = [];

    /// <summary>
    /// Start baresip with <c>-s</c>: it prints every SIP message it sends or receives, which
    /// <see cref="BaresipProcess.SipTrace"/>, <see cref="BaresipProcess.SentSdp"/> and <see cref="BaresipProcess.ReceivedSdp"/> read.
    /// </summary>
    public bool SipTrace { get; init; }

    /// <summary>The <c>accounts</c> file line.</summary>
    internal string ToAccountLine()
    {
        foreach (var (name, value) in new[] { ("Username", Username), ("Password", Password), ("AorUser", AorUser), ("AorDomain", AorDomain) })
        {
            if (string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny(AccountLineSpecials) >= 0)
            {
                throw new ArgumentException($"{name} must be non-empty and free of ; < > \" , and whitespace for baresip's account line");
            }
        }

        var host = ServerHost.Contains(':', StringComparison.Ordinal) ? $"[{ServerHost}]" : ServerHost;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"<sip:{AorUser}@{AorDomain};transport=tls>");
        line.Append(CultureInfo.InvariantCulture, $";auth_user={Username};auth_pass={Password}");
        line.Append(CultureInfo.InvariantCulture, $";outbound=\"sip:{host}:{ServerPort};transport=tls\"");
        if (UseSipOutbound)
        {
            line.Append(";sipnat=outbound");
        }

        line.Append(AnswerMode == BaresipAnswerMode.Auto ? ";answermode=auto" : ";answermode=manual");
        line.Append(CultureInfo.InvariantCulture, $";regint={RegisterInterval}");
        line.Append(";audio_codecs=pcmu,pcma");
        if (MediaEncryption is not null)
        {
            line.Append(";mediaenc=").Append(MediaEncryption);
        }

        foreach (var extra in ExtraAccountParameters)
        {
            line.Append(';').Append(extra.TrimStart(';'));
        }

        return line.Append('\n').ToString();
    }

    /// <summary>The <c>config</c> file text: see <see cref="BaresipProcess"/> for why each line is there.</summary>
    internal string ToConfiguration(string certificatePath, int controlPort) =>
        BaresipConfiguration.Create(LocalSipPort, certificatePath, CaPemPath, controlPort);
}
