using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SipTrunk.Core.Media.Srtp;

namespace SipTrunk.Benchmarks.RelayLoad;

/// <summary>
/// <c>relay-load</c>: plays both parties of every stream through a relay server in a child process. One socket per
/// side (every stream's leg A sends to and latches the A socket, leg B the B socket) so the generator stays cheap;
/// a sender thread paces packets over all streams and directions, one receiver thread per socket checks and times
/// them. Each packet carries its send time (Stopwatch ticks) in the first 8 payload bytes, written before SRTP
/// protection; in rekey mode the generator protects with the hop's key into the relay and unprotects with the key out
/// of it. Relay CPU comes from /proc/PID/stat of the child over the measured interval.
/// </summary>
internal sealed class RelayLoadGenerator : IDisposable
{
    private const uint SsrcBase = 0x5100_0000;
    private static readonly TimeSpan ServerReplyLimit = TimeSpan.FromSeconds(30);

    private readonly RelayLoadOptions _options;
    private readonly Socket _a = NewSocket();
    private readonly Socket _b = NewSocket();
    private readonly List<RelayLoadSlot> _slots = [];
    private readonly LatencyHistogram _latencyAtA = new();
    private readonly LatencyHistogram _latencyAtB = new();
    private Process? _server;
    private volatile bool _stop;
    private volatile bool _stopSending;
    private volatile bool _measuring;
    private long _sent;
    private long _receivedAtA;
    private long _receivedAtB;
    private long _rejected;

    public RelayLoadGenerator(RelayLoadOptions options) => _options = options;

    public async Task<int> RunAsync()
    {
        var o = _options;
        var ports = o.Direct ? null : await StartServerAsync();
        for (var i = 0; i < o.Streams; i++)
        {
            foreach (var aToB in (ReadOnlySpan<bool>)[true, false])
            {
                var (from, to) = aToB ? (_a, _b) : (_b, _a);
                var target = ports is null ? (IPEndPoint)to.LocalEndPoint! : new IPEndPoint(IPAddress.Loopback, aToB ? ports[i].A : ports[i].B);
                var (up, down) = aToB ? ("a-up", "b-down") : ("b-up", "a-down");
                SrtpContext? protect = o.Rekey ? RelayLoadKeys.Context(o.Suite, i, up) : null;

                // Without the relay the receiver holds the sender's key: same SRTP work at both ends, no rekeying.
                SrtpContext? unprotect = o.Rekey ? RelayLoadKeys.Context(o.Suite, i, o.Direct ? up : down) : null;
                _slots.Add(new RelayLoadSlot(from, target.Serialize(), SsrcBase + (uint)_slots.Count, protect, unprotect));
            }
        }

        var threads = new[]
        {
            new Thread(SendLoop) { Name = "relay-load send", IsBackground = true },
            new Thread(() => ReceiveLoop(_a, _latencyAtA, ref _receivedAtA)) { Name = "relay-load receive A", IsBackground = true },
            new Thread(() => ReceiveLoop(_b, _latencyAtB, ref _receivedAtB)) { Name = "relay-load receive B", IsBackground = true },
        };
        foreach (var thread in threads)
        {
            thread.Start();
        }

        await Task.Delay(TimeSpan.FromSeconds(o.Warmup));
        var before = await SnapshotAsync();
        _measuring = true;
        await Task.Delay(TimeSpan.FromSeconds(o.Seconds));
        _measuring = false;
        var after = await SnapshotAsync();

        // Loss over the whole run: what is still in flight arrives before the receivers stop.
        _stopSending = true;
        threads[0].Join(TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        _stop = true;
        foreach (var thread in threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        await StopServerAsync();
        Report(before, after);
        return 0;
    }

    public void Dispose()
    {
        _stop = true;
        _a.Dispose();
        _b.Dispose();
        foreach (var slot in _slots)
        {
            slot.Dispose();
        }

        if (_server is { HasExited: false })
        {
            _server.Kill();
        }

        _server?.Dispose();
    }

    private static Socket NewSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 << 20;
        socket.SendBufferSize = 4 << 20;
        socket.ReceiveTimeout = 200;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private async Task<(int A, int B)[]> StartServerAsync()
    {
        var o = _options;
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(RelayLoadGenerator).Assembly.Location);
        }

        string[] arguments =
        [
            "relay-server", "--mode", o.Mode, "--streams", Invariant(o.Streams), "--port-min", Invariant(o.PortMin),
            "--port-max", Invariant(o.PortMax), "--receive", o.Receive, "--suite", o.Suite.Name, "--threads", Invariant(o.Threads), "--max-seconds", Invariant((int)(o.Warmup + o.Seconds) + 120),
            "--a-target", _a.LocalEndPoint!.ToString()!, "--b-target", _b.LocalEndPoint!.ToString()!,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException("relay-server did not start.");
        var ports = new (int, int)[o.Streams];
        using var limit = new CancellationTokenSource(ServerReplyLimit);
        for (var line = await ReadServerLineAsync(limit.Token); line != "ready"; line = await ReadServerLineAsync(limit.Token))
        {
            var fields = line.Split(' ');
            if (fields is ["stream", var index, var a, var b])
            {
                ports[Parse(index)] = (Parse(a), Parse(b));
            }
        }

        return ports;
    }

    private async Task<string> ReadServerLineAsync(CancellationToken cancellationToken) =>
        await _server!.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("relay-server exited.");

    private async Task StopServerAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _server.StandardInput.WriteLineAsync("quit");
        _server.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _server.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _server.Kill();
        }
    }

    private async Task<Snapshot> SnapshotAsync()
    {
        long[] stats = [];
        long cpuTicks = 0;
        if (_server is not null)
        {
            await _server.StandardInput.WriteLineAsync("stats");
            await _server.StandardInput.FlushAsync();
            using var limit = new CancellationTokenSource(ServerReplyLimit);
            var line = await ReadServerLineAsync(limit.Token);
            stats = [.. line.Split(' ').Skip(1).Select(long.Parse)];
            cpuTicks = ProcessCpuTicks(_server.Id);
        }

        using var self = Process.GetCurrentProcess();
        return new Snapshot(
            Stopwatch.GetTimestamp(),
            Interlocked.Read(ref _sent),
            Interlocked.Read(ref _receivedAtA) + Interlocked.Read(ref _receivedAtB),
            self.TotalProcessorTime,
            cpuTicks,
            stats);
    }

    // utime + stime, fields 14 and 15 of /proc/PID/stat, counted after the command name (field 2), which may hold spaces.
    private static long ProcessCpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private void SendLoop()
    {
        var o = _options;
        var plain = new byte[12 + o.Payload];
        var protectedPacket = new byte[plain.Length + 64];
        var frequency = (double)Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var total = (long)(o.Pps * (o.Warmup + o.Seconds + 1));
        var deadline = start + (long)((o.Warmup + o.Seconds + 5) * frequency);
        var next = 0;
        long sent = 0;
        while (!_stopSending && sent < total)
        {
            var now = Stopwatch.GetTimestamp();
            if (now > deadline)
            {
                break;
            }

            var due = (long)((now - start) / frequency * o.Pps);
            if (sent >= due)
            {
                Thread.Sleep(1);
                continue;
            }

            // Catch up in bursts of at most 256 so a stall does not turn into one giant burst.
            for (var burst = Math.Min(due - sent, 256); burst > 0; burst--)
            {
                var slot = _slots[next];
                next = next + 1 == _slots.Count ? 0 : next + 1;
                slot.Fill(plain);
                BinaryPrimitives.WriteInt64LittleEndian(plain.AsSpan(12), Stopwatch.GetTimestamp());
                ReadOnlySpan<byte> packet = plain;
                if (slot.Protect is { } protect)
                {
                    if (protect.ProtectRtp(plain, protectedPacket, out var written) != SrtpResult.Ok)
                    {
                        throw new InvalidOperationException("ProtectRtp failed.");
                    }

                    packet = protectedPacket.AsSpan(0, written);
                }

                try
                {
                    slot.From.SendTo(packet, SocketFlags.None, slot.Target);
                }
                catch (SocketException)
                {
                    // Send buffer full: counted as sent and lost, like a real sender's drop.
                }

                sent++;
                Volatile.Write(ref _sent, sent);
            }
        }
    }

    private void ReceiveLoop(Socket socket, LatencyHistogram latency, ref long received)
    {
        var buffer = new byte[4096];
        var plain = new byte[4096];
        var source = new SocketAddress(AddressFamily.InterNetwork);
        var microsecondsPerTick = 1e6 / Stopwatch.Frequency;
        var poll = _options.Receiver == "poll";
        while (!_stop)
        {
            // Polling: sleep 1 ms, then drain. Nobody waits on the socket, so the relay's send does not pay for waking
            // this thread (on loopback the sender's system call runs the receive path and the wake-up).
            if (poll && socket.Available == 0)
            {
                Thread.Sleep(1);
                continue;
            }

            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, SocketFlags.None, source);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }

            var arrival = Stopwatch.GetTimestamp();
            var index = length >= 12 ? BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8)) - SsrcBase : uint.MaxValue;
            if (index >= (uint)_slots.Count)
            {
                Interlocked.Increment(ref _rejected);
                continue;
            }

            ReadOnlySpan<byte> packet = buffer.AsSpan(0, length);
            if (_slots[(int)index].Unprotect is { } unprotect)
            {
                if (unprotect.UnprotectRtp(packet, plain, out var written) != SrtpResult.Ok)
                {
                    Interlocked.Increment(ref _rejected);
                    continue;
                }

                packet = plain.AsSpan(0, written);
            }

            if (packet.Length < 20)
            {
                Interlocked.Increment(ref _rejected);
                continue;
            }

            if (_measuring)
            {
                latency.Add((arrival - BinaryPrimitives.ReadInt64LittleEndian(packet[12..])) * microsecondsPerTick);
            }

            Volatile.Write(ref received, received + 1);
        }
    }

    private void Report(Snapshot before, Snapshot after)
    {
        var o = _options;
        var wall = (after.Timestamp - before.Timestamp) / (double)Stopwatch.Frequency;
        var sent = after.Sent - before.Sent;
        var received = after.Received - before.Received;
        var generatorCpu = (after.GeneratorCpu - before.GeneratorCpu).TotalSeconds;
        var latency = new LatencyHistogram();
        latency.AddAll(_latencyAtA);
        latency.AddAll(_latencyAtB);
        var totalSent = Interlocked.Read(ref _sent);
        var lost = totalSent - Interlocked.Read(ref _receivedAtA) - Interlocked.Read(ref _receivedAtB);
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{(o.Direct ? "direct" : "relay"),-6} {o.Mode,-11} {o.Streams,7} {o.Pps,8} {sent / wall,9:F0} {received / wall,9:F0} {lost * 100.0 / Math.Max(1, totalSent),6:F2}%");
        var latencyColumns = string.Create(
            CultureInfo.InvariantCulture,
            $"{latency.Percentile(0.5),7:F0} {latency.Percentile(0.9),7:F0} {latency.Percentile(0.99),7:F0} {latency.Percentile(0.999),7:F0}");
        var relayColumns = "      -       -         -        -      -";
        if (after.Server.Length > 0)
        {
            var relayed = after.Server[0] - before.Server[0];
            var relayCpu = (after.RelayCpuTicks - before.RelayCpuTicks) / (double)o.ClockTicks;
            var bytesPerPacket = (after.Server[5] - before.Server[5]) / (double)Math.Max(1, relayed);
            var gcs = (after.Server[6] - before.Server[6]) + (after.Server[7] - before.Server[7]) + (after.Server[8] - before.Server[8]);
            relayColumns = string.Create(
                CultureInfo.InvariantCulture,
                $"{relayed / wall,7:F0} {relayCpu,7:F2} {relayed / Math.Max(relayCpu, 1e-9),9:F0} {bytesPerPacket,8:F1} {gcs,6}");
        }

        Console.WriteLine($"receiver: {o.Receiver}, relay receive: {o.Receive}{(o.Rekey ? $", suite: {o.Suite.Name}" : "")}");
        Console.WriteLine("where  mode         streams  offered      sent  received   loss |  p50 µs  p90 µs  p99 µs p99.9µs | relayed  cpu s  pps/core  B/packet    GCs | gen cpu s  rejected");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line} | {latencyColumns} | {relayColumns} | {generatorCpu,9:F2} {Interlocked.Read(ref _rejected),9}"));
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Parse(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private sealed record Snapshot(long Timestamp, long Sent, long Received, TimeSpan GeneratorCpu, long RelayCpuTicks, long[] Server);
}
