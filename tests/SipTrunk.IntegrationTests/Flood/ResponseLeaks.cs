using System.Text.RegularExpressions;

namespace SipTrunk.IntegrationTests.Flood;

/// <summary>
/// Finds the SIP responses in what scanners printed (plain, or as Python byte literals with escaped CRLFs, as svmap and
/// svwar print them) and what a response to a scanner must never carry: a version, an exception, a stack frame. Only
/// the responses are checked: the tools' own diagnostics are not SipTrunk's.
/// </summary>
internal static partial class ResponseLeaks
{
    /// <summary>Every SIP response (status line and headers) in <paramref name="captured"/>.</summary>
    public static IReadOnlyList<string> Responses(string captured)
    {
        var text = captured.Replace("\\r\\n", "\n", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
        // A status line alone (sipsak's summary of the reply it printed in full) is no message.
        return [.. Response().Matches(text).Select(m => m.Value).Where(m => m.Contains("\nVia:", StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>Every leak found in <paramref name="responses"/> (empty when clean).</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> responses) =>
        [.. responses.SelectMany(r => Leak().Matches(r).Select(m => m.Value))];

    // From a status line to the blank line (or the closing quote of a byte literal) that ends the header section.
    [GeneratedRegex(@"SIP/2\.0 \d{3} [^\n]*\n(?:[^\n']+\n)*")]
    private static partial Regex Response();

    // "SipTrunk/1.2", "SipTrunk 1.2", "SipTrunk v1": a product version; "Exception"; " at Namespace.Type.Method(" frames.
    [GeneratedRegex(@"SipTrunk\s*/|SipTrunk[\s-]*v?\d|Exception|\bat [\w.`<>]+\(|\.cs:line", RegexOptions.IgnoreCase)]
    private static partial Regex Leak();
}
