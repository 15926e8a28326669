using System.Diagnostics;
using SipTrunk.Sip.Messages;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Fuzz;

/// <summary>
/// Sends mutated messages over mTLS as the peer. Cleanly framed messages share a connection, with a sentinel after
/// every batch; a message that leaves the stream unframeable or mid-frame (truncated, a wrong Content-Length) goes last
/// on its connection, which is then retired, so it cannot swallow the messages after it. A connection SipTrunk
/// closes is replaced.
/// </summary>
internal static class TlsMutationSender
{
    private const int MaxRetiring = 16;
    private static readonly TimeSpan RetireGrace = TimeSpan.FromMilliseconds(200);

    public static async Task<TrafficTally> RunAsync(
        int port, CertificateFiles certificate, string caPath, IReadOnlyList<MutatedMessage> messages, int batch, CancellationToken cancellationToken)
    {
        var tally = new TrafficTally("t", stream: true, messages);
        var retiring = new Queue<Task>();
        TlsMutationConnection? connection = null;
        var inBatch = 0;
        var sentinel = 0;
        var started = Stopwatch.GetTimestamp();
        try
        {
            foreach (var message in messages)
            {
                connection ??= await TlsMutationConnection.OpenAsync(port, certificate, caPath, tally, cancellationToken);
                var oversize = message.Bytes.Length > SipLimits.Default.MaxMessageBytes;
                for (var attempt = 1; !await connection.TrySendAsync(message.Bytes, cancellationToken); attempt++)
                {
                    if (oversize && attempt > 1)
                    {
                        // SipTrunk refused the oversize message mid-write and closed the connection, as it should.
                        tally.CountSent(message);
                        await connection.DisposeAsync();
                        connection = null;
                        break;
                    }

                    // SipTrunk closed it after an earlier message (one that broke the framing after all): a new one.
                    await connection.DisposeAsync();
                    connection = null;
                    inBatch = 0;
                    if (attempt == 3)
                    {
                        break;
                    }

                    connection = await TlsMutationConnection.OpenAsync(port, certificate, caPath, tally, cancellationToken);
                }

                if (connection is null)
                {
                    tally.Undeliverable += oversize ? 0 : 1;
                    continue;
                }

                tally.CountSent(message);
                if (!message.FramesCleanly)
                {
                    retiring.Enqueue(connection.RetireAsync(RetireGrace));
                    connection = null;
                    inBatch = 0;
                    if (retiring.Count > MaxRetiring)
                    {
                        // SipTrunk limits connections per address (Limits.MaxConnectionsPerIp): keep well under it.
                        await retiring.Dequeue();
                    }

                    continue;
                }

                if (++inBatch == batch)
                {
                    inBatch = 0;
                    if (!await connection.SyncAsync(sentinel++, cancellationToken))
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }

            if (connection is not null)
            {
                await connection.SyncAsync(sentinel, cancellationToken);
            }

            tally.Elapsed = Stopwatch.GetElapsedTime(started);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.RetireAsync(RetireGrace);
            }

            await Task.WhenAll(retiring);
        }

        return tally;
    }
}
