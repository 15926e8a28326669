using System.Globalization;
using System.Net;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Benchmarks.RelayLoad;

/// <summary>Command-line settings of <c>relay-load</c> and <c>relay-server</c> (see bench/README.md).</summary>
internal sealed record RelayLoadOptions
{
    /// <summary><c>passthrough</c> (bytes relayed as they come) or <c>rekey</c> (SRTP in with one key, out with another).</summary>
    public string Mode { get; init; } = "passthrough";

    public int Streams { get; init; } = 200;

    /// <summary>Packets per second offered, both directions of every stream together.</summary>
    public int Pps { get; init; } = 20_000;

    public double Seconds { get; init; } = 10;

    public double Warmup { get; init; } = 3;

    public int Payload { get; init; } = 160;

    /// <summary>Generator to generator without the relay: the harness's own latency.</summary>
    public bool Direct { get; init; }

    public int PortMin { get; init; } = 14000;

    public int PortMax { get; init; } = 17999;

    /// <summary>Clock ticks per second of /proc/PID/stat (<c>getconf CLK_TCK</c>).</summary>
    public int ClockTicks { get; init; } = 100;

    /// <summary>The relay server exits on its own after this long, whatever happens to its parent.</summary>
    public int MaxSeconds { get; init; } = 900;

    /// <summary>How the relay reads its sockets (<c>auto</c>, <c>epoll</c>, <c>async</c>).</summary>
    public string Receive { get; init; } = "auto";

    /// <summary>
    /// How the generator's receivers wait: <c>block</c> (in recvfrom: one-way latency as a peer would see it) or
    /// <c>poll</c> (every millisecond: the relay's sends wake nobody, as toward a remote host).
    /// </summary>
    public string Receiver { get; init; } = "block";

    /// <summary>Relay receive threads in epoll mode (0: the relay's default).</summary>
    public int Threads { get; init; }

    public IPEndPoint? ATarget { get; init; }

    public IPEndPoint? BTarget { get; init; }

    /// <summary>The SRTP suite of rekey mode (an SDP name, <c>AES_CM_128_HMAC_SHA1_80</c> unless given).</summary>
    public SrtpSuite Suite { get; init; } = SrtpSuite.AesCm128HmacSha1_80;

    public bool Rekey => Mode == "rekey";

    public static RelayLoadOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new RelayLoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--direct")
            {
                options = options with { Direct = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--mode" when value is "passthrough" or "rekey" => options with { Mode = value },
                "--streams" => options with { Streams = Int(value, 1, 5000) },
                "--pps" => options with { Pps = Int(value, 1, 2_000_000) },
                "--seconds" => options with { Seconds = Int(value, 1, 600) },
                "--warmup" => options with { Warmup = Int(value, 0, 60) },
                "--payload" => options with { Payload = Int(value, 8, 1200) },
                "--port-min" => options with { PortMin = Int(value, 1024, 65000) },
                "--port-max" => options with { PortMax = Int(value, 1025, 65535) },
                "--clock-ticks" => options with { ClockTicks = Int(value, 1, 100_000) },
                "--max-seconds" => options with { MaxSeconds = Int(value, 1, 3600) },
                "--receive" when value is "auto" or "epoll" or "async" => options with { Receive = value },
                "--receiver" when value is "block" or "poll" => options with { Receiver = value },
                "--threads" => options with { Threads = Int(value, 0, 64) },
                "--suite" => options with { Suite = SrtpSuite.TryGet(value, out var suite) ? suite : throw new ArgumentException($"Unknown SRTP suite {value}.") },
                "--a-target" => options with { ATarget = IPEndPoint.Parse(value) },
                "--b-target" => options with { BTarget = IPEndPoint.Parse(value) },
                _ => throw new ArgumentException($"Unknown option or value: {name} {value}"),
            };
        }

        return options;
    }

    private static int Int(string value, int min, int max)
    {
        var parsed = int.Parse(value, CultureInfo.InvariantCulture);
        return parsed >= min && parsed <= max ? parsed : throw new ArgumentOutOfRangeException(nameof(value), $"{value} is outside {min}-{max}.");
    }
}
