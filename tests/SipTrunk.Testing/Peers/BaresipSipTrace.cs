using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// Collects the SIP messages of baresip's <c>-s</c> trace from its stdout, line by line, in full.
/// </summary>
/// <remarks>
/// baresip 1.0 prints each message it sends or receives as
/// <c>ESC[36;1m#</c> / <c>TLS 127.0.0.1:33074 -> 127.0.0.1:35061</c> / the message / <c>ESC[;m</c>, the message's own
/// CRLFs ending its lines. It does not say which way the message went (libre passes a tx flag; baresip ignores it),
/// and the addresses do not tell either: for a connection baresip opened the local end is an ephemeral port. The top
/// Via does: baresip's own requests carry its listening port there, and the responses it sends carry the requester's
/// Via. So a request is sent when its top Via port is one of baresip's listening ports, a response when it is not.
/// </remarks>
internal sealed partial class BaresipSipTrace
{
    private const string Begin = "\u001b[36;1m#";
    private const string End = "\u001b[;m";

    private readonly Lock _lock = new();
    private readonly List<(string Transport, string Source, string Destination, string Text)> _messages = [];
    private (string Transport, string Source, string Destination)? _current;
    private StringBuilder? _text;
    private bool _expectAddresses;

    /// <summary>Feeds one stdout line (without its line end).</summary>
    public void Observe(string line)
    {
        lock (_lock)
        {
            if (line.EndsWith(Begin, StringComparison.Ordinal))
            {
                _expectAddresses = true;
                _current = null;
                _text = null;
                return;
            }

            if (_expectAddresses)
            {
                _expectAddresses = false;
                var addresses = AddressLine().Match(line);
                if (addresses.Success)
                {
                    _current = (addresses.Groups["transport"].Value, addresses.Groups["source"].Value, addresses.Groups["destination"].Value);
                    _text = new StringBuilder();
                }

                return;
            }

            if (_current is not { } current || _text is null)
            {
                return;
            }

            var end = line.IndexOf(End, StringComparison.Ordinal);
            if (end < 0)
            {
                // The line ended with the CRLF the message itself carried (the reader split on it).
                _text.Append(line).Append("\r\n");
                return;
            }

            _text.Append(line.AsSpan(0, end));
            _messages.Add((current.Transport, current.Source, current.Destination, _text.ToString()));
            _current = null;
            _text = null;
        }
    }

    /// <summary>The messages so far, each marked sent or received by its top Via (see the remarks).</summary>
    public IReadOnlyList<BaresipSipMessage> Messages(IReadOnlySet<int> ownPorts)
    {
        lock (_lock)
        {
            return [.. _messages.Select(m => Create(m.Transport, m.Source, m.Destination, m.Text, ownPorts))];
        }
    }

    private static BaresipSipMessage Create(string transport, string source, string destination, string text, IReadOnlySet<int> ownPorts)
    {
        var probe = new BaresipSipMessage(sent: false, transport, source, destination, text);
        var via = probe.Header("Via") is { } value ? ViaSentByPort().Match(value) : Match.Empty;
        var viaIsOurs = via.Success && ownPorts.Contains(int.Parse(via.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        var sent = probe.IsRequest ? viaIsOurs : !viaIsOurs;
        return sent ? new BaresipSipMessage(sent: true, transport, source, destination, text) : probe;
    }

    [GeneratedRegex(@"^(?<transport>[A-Z]+) (?<source>\S+) -> (?<destination>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex AddressLine();

    // "SIP/2.0/TLS 127.0.0.1:36061;branch=..." (the first Via of a comma-separated list): the sent-by port.
    [GeneratedRegex(@"^SIP/2\.0/\w+\s+(?:\[[^\]]+\]|[^\s:;,]+):(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ViaSentByPort();
}
