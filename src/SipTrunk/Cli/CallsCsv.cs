using System.Globalization;
using System.Text;
using SipTrunk.Core.Cdr;

namespace SipTrunk.Cli;

/// <summary>
/// <c>siptrunk calls --format csv</c>: RFC 4180 (a header row, CRLF line ends, fields with a comma, quote, CR or LF
/// quoted and their quotes doubled), one row per call with the nested fields flattened: <c>attempts</c> as
/// <c>carrier:code</c> pairs joined by <c>;</c>, the TLS legs and the media counters as columns of their own. Times
/// are ISO-8601 round-trip UTC, numbers invariant.
/// </summary>
internal static class CallsCsv
{
    private static readonly (string Header, Func<CallRecord, string?> Value)[] Columns =
    [
        ("id", r => r.Id),
        ("callId", r => r.CallId),
        ("direction", r => r.Direction),
        ("peer", r => r.Peer),
        ("carrier", r => r.Carrier),
        ("from", r => r.From),
        ("to", r => r.To),
        ("requestUri", r => r.RequestUri),
        ("sourceAddress", r => r.SourceAddress),
        ("startedAt", r => Time(r.StartedAt)),
        ("ringingAt", r => Time(r.RingingAt)),
        ("answeredAt", r => Time(r.AnsweredAt)),
        ("endedAt", r => Time(r.EndedAt)),
        ("durationSeconds", r => Number(r.DurationSeconds)),
        ("status", r => r.Status),
        ("sipCode", r => Number(r.SipCode)),
        ("sipReason", r => r.SipReason),
        ("endedBy", r => r.EndedBy),
        ("endReason", r => r.EndReason),
        ("attempts", r => string.Join(';', r.Attempts.Select(a => a.Carrier + ":" + Number(a.SipCode)))),
        ("tlsInboundProtocol", r => r.Tls?.Inbound?.Protocol),
        ("tlsInboundCipherSuite", r => r.Tls?.Inbound?.CipherSuite),
        ("tlsInboundPeerCertificateSubject", r => r.Tls?.Inbound?.PeerCertificateSubject),
        ("tlsOutboundProtocol", r => r.Tls?.Outbound?.Protocol),
        ("tlsOutboundCipherSuite", r => r.Tls?.Outbound?.CipherSuite),
        ("tlsOutboundPeerCertificateSubject", r => r.Tls?.Outbound?.PeerCertificateSubject),
        ("mediaMode", r => r.Media?.Mode),
        ("mediaSrtpSuite", r => r.Media?.SrtpSuite),
        ("mediaPeerSrtpSuite", r => r.Media?.PeerSrtpSuite),
        ("mediaCarrierSrtpSuite", r => r.Media?.CarrierSrtpSuite),
        ("mediaPacketsIn", r => Number(r.Media?.PacketsIn)),
        ("mediaPacketsOut", r => Number(r.Media?.PacketsOut)),
        ("mediaBytesIn", r => Number(r.Media?.BytesIn)),
        ("mediaBytesOut", r => Number(r.Media?.BytesOut)),
        ("mediaPacketsLost", r => Number(r.Media?.PacketsLost)),
        ("mediaPacketsLostIn", r => Number(r.Media?.PacketsLostIn)),
        ("mediaPacketsLostOut", r => Number(r.Media?.PacketsLostOut)),
        ("mediaJitterMs", r => Number(r.Media?.JitterMs)),
        ("mediaJitterInMs", r => Number(r.Media?.JitterInMs)),
        ("mediaJitterOutMs", r => Number(r.Media?.JitterOutMs)),
        ("mediaAuthenticationFailures", r => Number(r.Media?.AuthenticationFailures)),
    ];

    /// <summary>The header row's column names, in order.</summary>
    public static IReadOnlyList<string> Headers { get; } = [.. Columns.Select(c => c.Header)];

    public static void Write(TextWriter output, IReadOnlyList<CallRecord> records)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(records);
        var line = new StringBuilder();
        WriteRow(output, line, Headers);
        foreach (var record in records)
        {
            WriteRow(output, line, Columns.Select(c => c.Value(record) ?? ""));
        }
    }

    private static void WriteRow(TextWriter output, StringBuilder line, IEnumerable<string> fields)
    {
        line.Clear();
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                line.Append(',');
            }

            first = false;
            AppendField(line, field);
        }

        // RFC 4180 §2 rule 1: each record ends with CRLF, whatever the platform's newline is.
        output.Write(line.Append("\r\n").ToString());
    }

    // RFC 4180 §2 rules 6 and 7: a field with a comma, quote, CR or LF is quoted, and a quote inside is doubled.
    private static void AppendField(StringBuilder line, string field)
    {
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(field);
            return;
        }

        line.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static string? Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}
