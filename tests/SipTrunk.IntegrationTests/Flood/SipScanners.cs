using System.Globalization;
using System.Text.RegularExpressions;
using SipTrunk.Testing;

namespace SipTrunk.IntegrationTests.Flood;

/// <summary>
/// Debian's SIP scanners and flooders (sipvicious: svmap, svwar, svcrack; sipsak) run against a UDP listener on
/// loopback, each from a loopback source address of its own, bounded in count and time. Returns what they printed.
/// </summary>
internal static partial class SipScanners
{
    // Debian's sipvicious 0.3.3 parses -b but never hands it to svwar's and svcrack's socket, which then binds to every
    // address and sends from 127.0.0.1, the legitimate peer's address. This shim makes the tool's own bind() use the
    // source address given (argv[1]); the tool itself runs unchanged.
    private const string BindShim = """
        import os, runpy, socket, sys
        source, tool = sys.argv[1], sys.argv[2]
        script = os.path.realpath('/usr/bin/' + tool)
        original = socket.socket.bind
        def bind(self, address):
            host = address[0] if address[0] not in ('', '0.0.0.0') else source
            return original(self, (host, address[1]))
        socket.socket.bind = bind
        sys.argv = [tool] + sys.argv[3:]
        sys.path.insert(0, os.path.dirname(script))
        runpy.run_path(script, run_name='__main__')
        """;

    // The interpreter the Debian scripts name in their #! line (a python3 earlier on PATH lacks their packages).
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>svmap: one OPTIONS, every response printed (-d).</summary>
    public static Task<string> SvmapAsync(string source, int port) =>
        RunAsync("svmap", ["-b", source, "-p", Port(port), "-d", "127.0.0.1"]);

    /// <summary>svwar: REGISTER extension enumeration 100–999.</summary>
    public static Task<string> SvwarAsync(string source, int port) =>
        RunAsync(Python, ["-c", BindShim, source, "svwar", "-p", Port(port), "-e", "100-999", "-m", "REGISTER", "--force", "--debug", "127.0.0.1"]);

    /// <summary>svcrack: password guessing for user 100 over 1000–9999, giving up after 3 s without a response.</summary>
    public static Task<string> SvcrackAsync(string source, int port) =>
        RunAsync(Python, ["-c", BindShim, source, "svcrack", "-p", Port(port), "-u", "100", "-r", "1000-9999", "--maximumtime", "3", "127.0.0.1"]);

    /// <summary>sipsak: one OPTIONS with every reply printed (-vvv).</summary>
    public static Task<string> SipsakOptionsAsync(string source, int port) =>
        RunAsync("sipsak", ["-vvv", "--local-ip", source, "-s", $"sip:100@127.0.0.1:{Port(port)}"]);

    /// <summary>
    /// sipsak flood mode: rounds of <paramref name="perRound"/> OPTIONS as fast as it can send, until
    /// <paramref name="rounds"/> rounds or <paramref name="duration"/> have passed; returns the requests sent and the
    /// send rates sipsak reported.
    /// </summary>
    public static async Task<(long Sent, List<double> Rates)> SipsakFloodAsync(string source, int port, int perRound, int rounds, TimeSpan duration)
    {
        var started = TimeProvider.System.GetTimestamp();
        var sent = 0L;
        var rates = new List<double>();
        for (var round = 0; round < rounds && TimeProvider.System.GetElapsedTime(started) < duration; round++)
        {
            var output = await RunAsync("sipsak", ["-F", "-e", perRound.ToString(CultureInfo.InvariantCulture), "--local-ip", source, "-s", $"sip:100@127.0.0.1:{Port(port)}"]);
            sent += perRound;
            foreach (Match match in FloodRate().Matches(output))
            {
                rates.Add(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        return (sent, rates);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string tool, IEnumerable<string> arguments)
    {
        var result = await ProcessRunner.RunAsync(tool, arguments, timeout: Bound);
        return $"=== {tool} (exit {result.ExitCode})\n{result.StandardOutput}\n{result.StandardError}\n";
    }

    [GeneratedRegex(@"we sent ([0-9.]+) requests per second")]
    private static partial Regex FloodRate();
}
