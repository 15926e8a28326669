using System.Buffers;
using System.Text;
using SipTrunk.Testing.Pki;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A baresip acting as a carrier SipTrunk dials (see <see cref="BaresipCarrier"/>): it listens for TLS on
/// 127.0.0.1 with a server certificate from the test PKI and answers calls to <see cref="Number"/>, registering nowhere.
/// </summary>
public sealed record BaresipCarrierOptions
{
    // The number becomes the user part of the account line's URI, which baresip ends at these.
    private static readonly SearchValues<char> UserSpecials = SearchValues.Create(";<>\"@:, \t\r\n");

    /// <summary>The certificate (and key) its TLS listener presents; SipTrunk checks it against the carrier's <c>TlsServerName</c>.</summary>
    public required CertificateFiles Certificate { get; init; }

    /// <summary>The CA certificate baresip loads as <c>sip_cafile</c>.</summary>
    public required string CaPemPath { get; init; }

    /// <summary>
    /// The called number it answers: the user part of its account's address of record. baresip 1.0 hands an incoming
    /// INVITE to the account whose Contact user or, failing that, AOR user equals the Request-URI user, and answers
    /// 404 when none does; SipTrunk puts the normalized called number there (<c>sips:NUMBER@host:port</c>).
    /// </summary>
    public required string Number { get; init; }

    /// <summary>The account's <c>mediaenc</c> (e.g. <c>srtp-mand</c>); null answers plain RTP/AVP only.</summary>
    public string? MediaEncryption { get; init; }

    /// <summary>Answer at once (the default), or ring and wait for <c>accept</c>.</summary>
    public BaresipAnswerMode AnswerMode { get; init; } = BaresipAnswerMode.Auto;

    /// <summary>
    /// The <c>sip_listen</c> port: UDP and TCP listen on it and TLS on the next port up (baresip's rule when a port
    /// is given). 0 picks a port whose successor is free too.
    /// </summary>
    public int SipPort { get; init; }

    /// <summary>Start with <c>-s</c> so <see cref="BaresipProcess.SipTrace"/> and the SDP helpers work.</summary>
    public bool SipTrace { get; init; } = true;

    /// <summary>Where to write the configuration; null uses a fresh temporary directory deleted on dispose.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The <c>accounts</c> file line: no registration (<c>regint=0</c>), no outbound proxy, no credentials.</summary>
    internal string ToAccountLine()
    {
        if (string.IsNullOrEmpty(Number) || Number.AsSpan().IndexOfAny(UserSpecials) >= 0)
        {
            throw new ArgumentException("Number must be a non-empty SIP user part without ; < > \" @ : , or whitespace");
        }

        var line = new StringBuilder();
        line.Append("<sip:").Append(Number).Append("@127.0.0.1;transport=tls>");
        line.Append(";regint=0");
        line.Append(AnswerMode == BaresipAnswerMode.Auto ? ";answermode=auto" : ";answermode=manual");
        line.Append(";audio_codecs=pcmu,pcma");
        if (MediaEncryption is not null)
        {
            line.Append(";mediaenc=").Append(MediaEncryption);
        }

        return line.Append('\n').ToString();
    }
}
