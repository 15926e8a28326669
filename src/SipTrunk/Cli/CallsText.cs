using System.Globalization;
using System.Text;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Media;

namespace SipTrunk.Cli;

/// <summary>
/// <c>siptrunk calls show ID</c> as text: who called whom, when, how it ended, every attempt with its offset from the
/// start, both legs' TLS and the media counters; plus the small formatting helpers the table shares.
/// </summary>
internal static class CallsText
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fff";
    private const int LabelWidth = 15;

    public static void Write(TextWriter output, CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(record);
        output.WriteLine($"Call {Clean(record.Id)}");
        Field(output, "call-id", record.CallId);
        Field(output, "direction", record.Direction);
        Field(output, "peer", record.Peer);
        Field(output, "carrier", record.Carrier);
        Field(output, "from", record.From);
        Field(output, "to", record.To);
        Field(output, "request uri", record.RequestUri);
        Field(output, "source", record.SourceAddress);

        output.WriteLine();
        output.WriteLine("Timings (UTC)");
        Field(output, "started", Time(record.StartedAt));
        Field(output, "ringing", record.RingingAt is { } ringing ? Time(ringing) + "  " + Offset(record.StartedAt, ringing) : null);
        Field(output, "answered", record.AnsweredAt is { } answered ? Time(answered) + "  " + Offset(record.StartedAt, answered) : null);
        Field(output, "ended", Time(record.EndedAt) + "  " + Offset(record.StartedAt, record.EndedAt));
        Field(output, "duration", record.DurationSeconds is { } seconds
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.###} s ({Duration(seconds)})")
            : "not answered");

        output.WriteLine();
        output.WriteLine("Outcome");
        Field(output, "status", record.Status);
        Field(output, "sip code", record.SipCode == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{record.SipCode} {record.SipReason}").TrimEnd());
        Field(output, "ended by", record.EndedBy);
        Field(output, "end reason", record.EndReason);

        output.WriteLine();
        output.WriteLine("Attempts");
        if (record.Attempts.Count == 0)
        {
            output.WriteLine("  none");
        }

        foreach (var attempt in record.Attempts)
        {
            var code = attempt.SipCode == 0 ? "-" : attempt.SipCode.ToString(CultureInfo.InvariantCulture);
            output.WriteLine($"  {Offset(record.StartedAt, attempt.StartedAt),-10} {Clean(attempt.Carrier)}  {code}  {Clean(attempt.Reason)}".TrimEnd());
        }

        output.WriteLine();
        output.WriteLine("TLS");
        Field(output, "inbound leg", Leg(record.Tls?.Inbound));
        Field(output, "outbound leg", Leg(record.Tls?.Outbound));

        output.WriteLine();
        output.WriteLine("Media");
        WriteMedia(output, record.Media);
    }

    /// <summary>The called number: the user part of the To URI (else of the Request-URI).</summary>
    public static string? Number(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UserPart(record.To) ?? UserPart(record.RequestUri);
    }

    /// <summary><c>m:ss</c> or <c>h:mm:ss</c>; null when the call was never answered.</summary>
    public static string? Duration(double? seconds)
    {
        if (seconds is not { } value)
        {
            return null;
        }

        var span = TimeSpan.FromSeconds(Math.Round(value));
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
    }

    /// <summary>
    /// The value with control and format characters replaced by '?': SIP headers come from the network, and an escape
    /// sequence or a bidi override in a From header must not reach the operator's terminal.
    /// </summary>
    public static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (!value.Any(IsUnsafe))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(IsUnsafe(c) ? '?' : c);
        }

        return builder.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static void WriteMedia(TextWriter output, MediaCallStats? media)
    {
        if (media is null)
        {
            output.WriteLine("  none (no media was relayed)");
            return;
        }

        Field(output, "mode", media.Mode);
        var suites = media.PeerSrtpSuite is null && media.CarrierSrtpSuite is null
            ? media.SrtpSuite ?? "none (RTP)"
            : $"peer leg {media.PeerSrtpSuite ?? "RTP"}, carrier leg {media.CarrierSrtpSuite ?? "RTP"}";
        Field(output, "srtp suite", suites);
        Field(output, "packets", string.Create(CultureInfo.InvariantCulture, $"in {media.PacketsIn}  out {media.PacketsOut}"));
        Field(output, "bytes", string.Create(CultureInfo.InvariantCulture, $"in {media.BytesIn}  out {media.BytesOut}"));
        Field(output, "lost", string.Create(CultureInfo.InvariantCulture, $"{media.PacketsLost} (in {media.PacketsLostIn}, out {media.PacketsLostOut})"));
        Field(output, "jitter", string.Create(CultureInfo.InvariantCulture, $"{media.JitterMs:0.##} ms (in {media.JitterInMs:0.##}, out {media.JitterOutMs:0.##})"));
        Field(output, "auth failures", media.AuthenticationFailures.ToString(CultureInfo.InvariantCulture));
    }

    private static string? Leg(CallRecordTlsLeg? leg) => leg is null
        ? null
        : $"{leg.Protocol} {leg.CipherSuite}" + (leg.PeerCertificateSubject is { } subject ? ", certificate " + subject : "");

    private static void Field(TextWriter output, string label, string? value) =>
        output.WriteLine("  " + label.PadRight(LabelWidth) + (string.IsNullOrEmpty(value) ? "-" : Clean(value)));

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static string Offset(DateTimeOffset start, DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"{(time - start).TotalSeconds:+0.000;-0.000} s");

    // sip:USER@host (the user may carry ;params) or tel:NUMBER;params.
    private static string? UserPart(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return null;
        }

        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var rest = uri.AsSpan(colon + 1);
        if (!uri.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            var at = rest.IndexOf('@');
            rest = at > 0 ? rest[..at] : [];
        }

        var parameters = rest.IndexOf(';');
        var user = parameters >= 0 ? rest[..parameters] : rest;
        return user.IsEmpty ? null : user.ToString();
    }
}
