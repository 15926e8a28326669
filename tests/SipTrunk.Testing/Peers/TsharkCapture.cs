using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SipTrunk.Testing.Media;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A packet capture on loopback (<c>lo</c>) with Wireshark's <c>tshark</c> (Debian package <c>tshark</c>; capturing
/// needs root or a dumpcap with capture capabilities), written to a pcapng file in its own temporary directory and
/// read back as UDP datagrams (<see cref="CapturedUdpPacket"/>).
/// </summary>
/// <remarks>
/// <para>tshark's own messages do not say when packets are really being captured: it prints
/// <c>Capturing on 'Loopback: lo'</c> before dumpcap has even parsed the filter (a bad filter fails after that line).
/// And the kernel hands packets to dumpcap in blocks (TPACKET_V3), a block only once it is full or its timeout has
/// passed, so a dumpcap stopped at once loses the packets of the block still open: a first version lost the last ~10
/// RTP packets of a call that way.</para>
/// <para>So the capture filter is widened to one extra loopback port this object holds, and sentinel datagrams to it
/// mark both ends: <see cref="StartAsync"/> returns once a start sentinel has reached the file (the capture runs, with
/// its filter), and <see cref="StopAsync"/> sends a stop sentinel, waits until it is in the file (so everything
/// captured before it is there too), and only then sends SIGINT, on which tshark stops dumpcap, which closes the file.
/// Sentinels are not among the packets returned.</para>
/// </remarks>
public sealed class TsharkCapture : IAsyncDisposable
{
    /// <summary>The program started.</summary>
    public const string Program = "tshark";

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SentinelInterval = TimeSpan.FromMilliseconds(200);

    private readonly ChildProcess _process;
    private readonly TempDirectory _directory;
    private readonly Socket _sentinel;

    private TsharkCapture(ChildProcess process, TempDirectory directory, Socket sentinel, string captureFilter)
    {
        _process = process;
        _directory = directory;
        _sentinel = sentinel;
        CaptureFilter = captureFilter;
    }

    /// <summary>The BPF capture filter asked for (e.g. <c>udp</c>, <c>udp port 4000</c>).</summary>
    public string CaptureFilter { get; }

    /// <summary>The pcapng file (complete once <see cref="StopAsync"/> has returned).</summary>
    public string FilePath => _directory.Combine("capture.pcapng");

    /// <summary>What tshark wrote to stdout and stderr so far.</summary>
    public string Output => _process.OutputTail;

    /// <summary>True once tshark has ended.</summary>
    public bool HasExited => _process.HasExited;

    private IPEndPoint SentinelEndPoint => (IPEndPoint)_sentinel.LocalEndPoint!;

    /// <summary>Starts capturing on loopback with <paramref name="captureFilter"/>; returns once packets are being written.</summary>
    /// <exception cref="InvalidOperationException">tshark ended first: not installed, no permission, a bad filter (the message holds its output).</exception>
    /// <exception cref="TimeoutException">No packet reached the file within 15 s.</exception>
    public static async Task<TsharkCapture> StartAsync(string captureFilter, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(captureFilter);
        var directory = new TempDirectory();
        var sentinel = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        ChildProcess process;
        try
        {
            sentinel.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var sentinelPort = ((IPEndPoint)sentinel.LocalEndPoint!).Port;
            var filter = string.Create(CultureInfo.InvariantCulture, $"({captureFilter}) or (udp and dst host 127.0.0.1 and dst port {sentinelPort})");

            // -n: no name resolution; -q: no per-packet lines (only the count at the end); -B: a 32 MiB kernel buffer
            // (default 2) so a busy loopback on a loaded machine does not overrun it.
            process = ChildProcess.Start(
                Program, ["-n", "-q", "-i", "lo", "-B", "32", "-f", filter, "-w", directory.Combine("capture.pcapng")], directory.Path);
        }
        catch
        {
            sentinel.Dispose();
            directory.Dispose();
            throw;
        }

        var capture = new TsharkCapture(process, directory, sentinel, captureFilter);
        try
        {
            await capture.MarkAsync("start capturing", cancellationToken).ConfigureAwait(false);
            return capture;
        }
        catch
        {
            await capture.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops the capture gracefully (once everything captured so far is in the file: SIGINT, a kill after 10 s) and
    /// reads the UDP datagrams it holds. Calling it again reads the file again.
    /// </summary>
    /// <exception cref="TimeoutException">The stop sentinel did not reach the file within 15 s (the capture is stopped anyway).</exception>
    public async Task<IReadOnlyList<CapturedUdpPacket>> StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_process.HasExited)
        {
            try
            {
                await MarkAsync("write what it captured", cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await _process.StopAsync("INT", StopGrace, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!File.Exists(FilePath))
        {
            throw new InvalidOperationException($"tshark left no capture file\n{Describe()}");
        }

        var sentinel = SentinelEndPoint;
        var packets = await ReadUdpPacketsAsync(FilePath, cancellationToken).ConfigureAwait(false);
        return [.. packets.Where(packet => !(packet.Source.Equals(sentinel) && packet.Destination.Equals(sentinel)))];
    }

    /// <summary>Reads every UDP datagram (with its payload) from a pcap or pcapng file, in capture order.</summary>
    /// <exception cref="InvalidOperationException">tshark could not read the file (the message holds its output).</exception>
    public static async Task<IReadOnlyList<CapturedUdpPacket>> ReadUdpPacketsAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // "udp and not icmp": an ICMP port-unreachable quotes the UDP header it answers; occurrence=f keeps one value per field.
        var result = await ProcessRunner.RunAsync(
            Program,
            ["-n", "-r", path, "-Y", "udp and not icmp", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
                "-e", "frame.time_epoch", "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport", "-e", "udp.length", "-e", "udp.payload"],
            timeout: TimeSpan.FromSeconds(60)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"tshark -r {path} exited with {result.ExitCode}\n{result.StandardError}");
        }

        var packets = new List<CapturedUdpPacket>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.TrimEnd('\r').Split('\t');
            if (fields.Length < 7 || !IPAddress.TryParse(fields[1], out var source) || !IPAddress.TryParse(fields[3], out var destination))
            {
                // IPv6 datagrams have no ip.src; this reads IPv4 only, which is all the tests send.
                continue;
            }

            var seconds = decimal.Parse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture);
            packets.Add(new CapturedUdpPacket(
                DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)),
                new IPEndPoint(source, int.Parse(fields[2], CultureInfo.InvariantCulture)),
                new IPEndPoint(destination, int.Parse(fields[4], CultureInfo.InvariantCulture)),
                int.Parse(fields[5], CultureInfo.InvariantCulture),
                Convert.FromHexString(fields[6])));
        }

        return packets;
    }

    /// <summary>The command line and tshark's output, for assertion messages.</summary>
    public string Describe() => $"--- {_process.CommandLine}\n{Output}";

    /// <summary>Stops tshark if it still runs and deletes the capture.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StopAsync("INT", StopGrace, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _sentinel.Dispose();
            _directory.Dispose();
        }
    }

    // Sends a fresh sentinel (32 random bytes) to itself, again every 200 ms in case one went out before the capture
    // was open, until one of them is in the file.
    private async Task MarkAsync(string what, CancellationToken cancellationToken)
    {
        var mark = RandomNumberGenerator.GetBytes(32);
        var started = Stopwatch.GetTimestamp();
        var lastSent = long.MinValue;
        while (true)
        {
            if (lastSent == long.MinValue || Stopwatch.GetElapsedTime(lastSent) >= SentinelInterval)
            {
                await _sentinel.SendToAsync(mark, SocketFlags.None, SentinelEndPoint, cancellationToken).ConfigureAwait(false);
                lastSent = Stopwatch.GetTimestamp();
            }

            if (FileContains(mark))
            {
                return;
            }

            if (_process.HasExited)
            {
                // Let the output drain first: its last lines say why (a bad filter, no permission).
                await _process.WaitForExitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"tshark exited with {_process.ExitCode} before it would {what}\n{Describe()}");
            }

            if (Stopwatch.GetElapsedTime(started) >= WaitTimeout)
            {
                throw new TimeoutException($"tshark did not {what} within {WaitTimeout.TotalSeconds:0} s\n{Describe()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }

    // dumpcap writes packets whole, so the mark's bytes are in the file once its packet is.
    private bool FileContains(byte[] mark)
    {
        try
        {
            using var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            file.CopyTo(copy);
            return copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(mark) >= 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not created yet.
            return false;
        }
    }
}
