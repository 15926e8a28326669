using System.Globalization;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// How to run Debian's <c>sipp</c> (3.6, no TLS) for one scenario over a single TCP connection on loopback.
/// </summary>
public sealed record SippOptions
{
    /// <summary>A called number in the range Ofcom keeps for drama (+44 1632 960xxx), routable by any E.164 prefix.</summary>
    public const string DefaultService = "+441632960001";

    /// <summary>The scenario XML (see <see cref="SippScenarios"/>).</summary>
    public required string ScenarioPath { get; init; }

    /// <summary>UAC or UAS.</summary>
    public required SippMode Mode { get; init; }

    /// <summary>SIPp's own 127.0.0.1 port (<c>-p</c>): where a UAS listens, a UAC's source port; 0 picks a free one.</summary>
    public int LocalPort { get; init; }

    /// <summary>UAC only: the 127.0.0.1 port to connect to (a client-mode stunnel's accept port).</summary>
    public int RemotePort { get; init; }

    /// <summary>The called number, <c>[service]</c> in the scenarios (<c>-s</c>).</summary>
    public string Service { get; init; } = DefaultService;

    /// <summary>Stop after this many calls (<c>-m</c>); a UAC needs it so every run is bounded in count.</summary>
    public int? Calls { get; init; }

    /// <summary>Calls per <see cref="RatePeriod"/> (<c>-r</c>).</summary>
    public double? Rate { get; init; }

    /// <summary>The rate period (<c>-rp</c>; SIPp's default is one second).</summary>
    public TimeSpan? RatePeriod { get; init; }

    /// <summary>The most calls open at once (<c>-l</c>).</summary>
    public int? CallLimit { get; init; }

    /// <summary>SIPp quits after this long whatever it is doing (<c>-timeout</c>); a UAC needs it so every run is bounded in time.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Reaching <see cref="Timeout"/> is an error exit (<c>-timeout_error</c>), not a normal end.</summary>
    public bool TimeoutIsError { get; init; } = true;

    /// <summary>A call fails when an expected message does not come within this (<c>-recv_timeout</c>).</summary>
    public TimeSpan? ReceiveTimeout { get; init; }

    /// <summary>
    /// SIPp's media port on 127.0.0.1 (<c>-mi 127.0.0.1 -mp</c>), <c>[media_port]</c> in the scenarios; null keeps
    /// SIPp's default (6000 on its primary address).
    /// </summary>
    public int? MediaPort { get; init; }

    /// <summary>Echo every RTP packet received on <see cref="MediaPort"/> (and the port 2 above) back to its sender (<c>-rtp_echo</c>).</summary>
    public bool RtpEcho { get; init; }

    /// <summary>Anything else, passed as is before the remote address (e.g. <c>-trace_msg</c>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>
    /// A UAC placing <paramref name="calls"/> calls at <paramref name="callsPerSecond"/> to 127.0.0.1:<paramref name="remotePort"/>,
    /// failing calls that wait 10 s for a message and giving up entirely after the calls' due time plus 20 s.
    /// </summary>
    public static SippOptions Client(string scenarioPath, int remotePort, int calls, double callsPerSecond) => new()
    {
        ScenarioPath = scenarioPath,
        Mode = SippMode.Client,
        RemotePort = remotePort,
        Calls = calls,
        Rate = callsPerSecond,
        ReceiveTimeout = TimeSpan.FromSeconds(10),
        Timeout = TimeSpan.FromSeconds(Math.Ceiling(calls / callsPerSecond) + 20),
    };

    /// <summary>A UAS answering on a free port until stopped.</summary>
    public static SippOptions Server(string scenarioPath) => new()
    {
        ScenarioPath = scenarioPath,
        Mode = SippMode.Server,
    };

    /// <summary>
    /// A UAS answering on a free port until stopped, echoing RTP received on 127.0.0.1:<paramref name="mediaPort"/>
    /// (SIPp echoes on the port 2 above as well). For <see cref="SippScenarios.UasRtpEcho"/>.
    /// </summary>
    public static SippOptions RtpEchoServer(string scenarioPath, int mediaPort) => Server(scenarioPath) with
    {
        MediaPort = mediaPort,
        RtpEcho = true,
    };

    /// <summary>The sipp command line; trace files go to the working directory under the names <see cref="SippProcess"/> reads.</summary>
    internal IReadOnlyList<string> ToArguments(int localPort)
    {
        if (Mode == SippMode.Client && RemotePort <= 0)
        {
            throw new InvalidOperationException("a SIPp client needs a RemotePort");
        }

        var arguments = new List<string>
        {
            "-sf", ScenarioPath,

            // One TCP connection for every call: the shape of a PBX trunk, and what one stunnel connection carries.
            "-t", "t1",
            "-i", "127.0.0.1",
            "-p", Format(localPort),

            // The control socket binds 0.0.0.0:8888 (or the next free port) unless told otherwise.
            "-ci", "127.0.0.1",
            "-nostdin",
            "-s", Service,
            "-trace_stat", "-stf", SippProcess.StatisticsFileName, "-fd", "1",
            "-trace_counts",
            "-trace_err", "-error_file", SippProcess.ErrorFileName,
            "-trace_screen", "-screen_file", SippProcess.ScreenFileName,

            // Every sample: with the default of 200 the last partial batch is never written.
            "-trace_rtt", "-rtt_freq", "1",
        };

        if (Calls is { } calls)
        {
            arguments.AddRange(["-m", Format(calls)]);
        }

        if (Rate is { } rate)
        {
            arguments.AddRange(["-r", rate.ToString(CultureInfo.InvariantCulture)]);
        }

        if (RatePeriod is { } period)
        {
            arguments.AddRange(["-rp", Format((long)period.TotalMilliseconds)]);
        }

        if (CallLimit is { } limit)
        {
            arguments.AddRange(["-l", Format(limit)]);
        }

        if (Timeout is { } timeout)
        {
            arguments.AddRange(["-timeout", Format((long)Math.Ceiling(timeout.TotalSeconds)) + "s"]);
            if (TimeoutIsError)
            {
                arguments.Add("-timeout_error");
            }
        }

        if (ReceiveTimeout is { } receiveTimeout)
        {
            arguments.AddRange(["-recv_timeout", Format((long)receiveTimeout.TotalMilliseconds)]);
        }

        if (MediaPort is { } mediaPort)
        {
            arguments.AddRange(["-mi", "127.0.0.1", "-mp", Format(mediaPort)]);
        }

        if (RtpEcho)
        {
            arguments.Add("-rtp_echo");
        }

        arguments.AddRange(ExtraArguments);
        if (Mode == SippMode.Client)
        {
            arguments.Add("127.0.0.1:" + Format(RemotePort));
        }

        return arguments;
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
