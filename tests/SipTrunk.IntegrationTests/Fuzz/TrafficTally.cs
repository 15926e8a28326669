using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SipTrunk.IntegrationTests.Fuzz;

/// <summary>What one channel (TLS or UDP) of the malformed-traffic test sent and got back.</summary>
internal sealed partial class TrafficTally(string channel, bool stream, IReadOnlyList<MutatedMessage> messages)
{
    private readonly ConcurrentDictionary<int, int> _codes = new();
    private readonly ConcurrentDictionary<int, List<int>> _answers = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private int _sent;
    private int _markedSent;
    private int _anonymous;

    public string Channel { get; } = channel;

    public int Sent => _sent;

    /// <summary>Messages the socket refused to send (a datagram over 65507 bytes).</summary>
    public int Unsendable { get; set; }

    /// <summary>Messages no connection would take (each of three fresh connections closed before the write).</summary>
    public int Undeliverable { get; set; }

    private int _closedBySipTrunk;

    /// <summary>Connections SipTrunk closed (framing errors on the stream), and connections opened.</summary>
    public int ClosedBySipTrunk => _closedBySipTrunk;

    public int ConnectionsOpened { get; set; }

    /// <summary>UDP sentinels that went unanswered and were sent again.</summary>
    public int SentinelsLost { get; set; }

    public TimeSpan Elapsed { get; set; }

    public IReadOnlyDictionary<int, int> Codes => _codes;

    public IEnumerable<string> Problems => _problems;

    /// <summary>Messages whose mark survived the mutation, so an answer to them can be recognised.</summary>
    public int MarkedSent => _markedSent;

    /// <summary>Marked messages with at least one answer.</summary>
    public int Answered => _answers.Count;

    /// <summary>Marked messages with no answer at all.</summary>
    public int Dropped => MarkedSent - Answered;

    public int Count(Func<int, bool> code) => _codes.Where(pair => code(pair.Key)).Sum(pair => pair.Value);

    public void CountClosedBySipTrunk() => Interlocked.Increment(ref _closedBySipTrunk);

    public void CountSent(MutatedMessage message)
    {
        Interlocked.Increment(ref _sent);
        if (MutatedMessage.FindMark(Encoding.Latin1.GetString(message.Bytes), Channel) == message.Index)
        {
            Interlocked.Increment(ref _markedSent);
        }
    }

    /// <summary>Records one response from SipTrunk and checks it against the message it answers, when the mark survived.</summary>
    public void Observe(string response)
    {
        var code = ParseStatus(response);
        _codes.AddOrUpdate(code, 1, (_, n) => n + 1);
        var index = MutatedMessage.FindMark(response, Channel);
        if (index < 0 || index >= messages.Count)
        {
            Interlocked.Increment(ref _anonymous);
            return;
        }

        var message = messages[index];
        _answers.AddOrUpdate(index, [code], (_, list) => [.. list, code]);
        var firstLine = response[..Math.Max(0, response.IndexOf('\r', StringComparison.Ordinal))];
        if (message.IsResponse)
        {
            _problems.Enqueue($"{Channel} #{index} is a response ({message.Mutation}) yet was answered '{firstLine}':\n{Latin1(message.Bytes)}\n---\n{response}");
        }
        else if (message.Unparsable(stream) && code != 400)
        {
            _problems.Enqueue($"{Channel} #{index} does not parse ({message.Mutation}) yet was answered '{firstLine}', not 400");
        }
        else if (code is >= 100 and < 400 && !(code == 100 && IsFor(response, "INVITE")) && !(code == 200 && IsFor(response, "OPTIONS")))
        {
            // RFC 3261 §16.2 and §11: the only non-error answers a stray request can earn are 100 Trying to an INVITE
            // and SipTrunk's own 200 to an OPTIONS; anything else means a mutated request was carried somewhere.
            _problems.Enqueue($"{Channel} #{index} ({message.Mutation}) was answered '{firstLine}':\n{Latin1(message.Bytes)}\n---\n{response}");
        }
    }

    public string Describe()
    {
        var codes = string.Join(", ", _codes.OrderBy(pair => pair.Key).Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key}×{pair.Value}")));
        var rate = Sent / Math.Max(Elapsed.TotalSeconds, 0.001);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Channel}: {Sent} sent in {Elapsed.TotalSeconds:F1} s ({rate:F0} msg/s), {Unsendable} unsendable, {Undeliverable} undeliverable, ");
        text.Append(CultureInfo.InvariantCulture, $"{Count(c => c == 400)} answered 400, {Count(c => c != 400)} other responses [{codes}], ");
        text.Append(CultureInfo.InvariantCulture, $"of {MarkedSent} still marked {Answered} answered and {Dropped} dropped, {_anonymous} answers without a mark; ");
        text.Append(CultureInfo.InvariantCulture, $"connections opened {ConnectionsOpened}, closed by SipTrunk {ClosedBySipTrunk}, sentinels lost {SentinelsLost}");
        return text.ToString();
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 2000));

    /// <summary>True when the CSeq method of <paramref name="response"/> is <paramref name="method"/> (the value may be folded).</summary>
    private static bool IsFor(string response, string method) =>
        CSeqMethod().Match(response) is { Success: true } match && match.Groups[1].Value == method;

    private static int ParseStatus(string response) =>
        response.Length >= 12 && response.StartsWith("SIP/2.0 ", StringComparison.Ordinal)
        && int.TryParse(response.AsSpan(8, 3), CultureInfo.InvariantCulture, out var code) ? code : -1;

    [GeneratedRegex(@"\r\nCSeq:[ \t\r\n]*[0-9]+[ \t\r\n]+([A-Za-z]+)\r\n", RegexOptions.IgnoreCase)]
    private static partial Regex CSeqMethod();
}
