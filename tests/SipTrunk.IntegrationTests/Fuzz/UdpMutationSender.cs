using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SipTrunk.IntegrationTests.Fuzz;

/// <summary>Sends mutated messages as UDP datagrams from one socket, a sentinel after every batch, and tallies the answers.</summary>
internal static class UdpMutationSender
{
    private const string Channel = "u";

    public static async Task<TrafficTally> RunAsync(int port, IReadOnlyList<MutatedMessage> messages, int batch, CancellationToken cancellationToken)
    {
        var tally = new TrafficTally(Channel, stream: false, messages);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var localPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var remote = new IPEndPoint(IPAddress.Loopback, port);
        var sentinels = new ConcurrentDictionary<int, TaskCompletionSource>();
        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lastAnswer = Stopwatch.GetTimestamp();
        var receiving = ReceiveAsync(socket, tally, sentinels, () => lastAnswer = Stopwatch.GetTimestamp(), stopReceiving.Token);
        var started = Stopwatch.GetTimestamp();
        var sentinel = 0;
        try
        {
            for (var first = 0; first < messages.Count; first += batch)
            {
                foreach (var message in messages.Skip(first).Take(batch))
                {
                    try
                    {
                        await socket.SendToAsync(message.Bytes, remote, cancellationToken);
                        tally.CountSent(message);
                    }
                    catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
                    {
                        tally.Unsendable++;
                    }
                }

                // UDP may lose the sentinel itself (a socket buffer full of large datagrams): ask again, a few times.
                for (var attempt = 1; ; attempt++)
                {
                    var number = sentinel++;
                    var answered = sentinels.GetOrAdd(number, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    await socket.SendToAsync(Sentinel.Create(Channel, number, "UDP", localPort), remote, cancellationToken);
                    try
                    {
                        await answered.Task.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
                        break;
                    }
                    catch (TimeoutException) when (attempt < 4)
                    {
                        tally.SentinelsLost++;
                    }
                }
            }

            tally.Elapsed = Stopwatch.GetElapsedTime(started);

            // Answers the proxy core gives after a lookup may trail the last sentinel's: wait for a quiet half second.
            var drainBound = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(lastAnswer) < TimeSpan.FromMilliseconds(500) && Stopwatch.GetElapsedTime(drainBound) < TimeSpan.FromSeconds(3))
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        finally
        {
            await stopReceiving.CancelAsync();
            await receiving;
        }

        return tally;
    }

    private static async Task ReceiveAsync(Socket socket, TrafficTally tally, ConcurrentDictionary<int, TaskCompletionSource> sentinels, Action answered, CancellationToken stopping)
    {
        var buffer = new byte[65536];
        var from = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, stopping);
                var text = Encoding.Latin1.GetString(buffer, 0, result.ReceivedBytes);
                answered();
                var sentinel = Sentinel.Find(text, Channel);
                if (sentinel >= 0)
                {
                    sentinels.GetOrAdd(sentinel, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }
                else
                {
                    tally.Observe(text);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The sender is done.
        }
    }
}
