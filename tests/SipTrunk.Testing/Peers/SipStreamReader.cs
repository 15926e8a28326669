using System.Security.Authentication;
using SipTrunk.Sip.Framing;
using SipTrunk.Sip.Messages;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// Reads whole SIP messages off a stream connection (TLS or TCP) for in-test servers: frames with
/// <see cref="SipFrameScanner"/>, parses with <see cref="SipParser"/>, and counts CRLF keep-alives instead of
/// returning them (RFC 5626 §4.4.1), so a test can tell whether a peer sends any.
/// </summary>
public sealed class SipStreamReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _buffered;

    /// <summary>Reads from <paramref name="stream"/>; the caller keeps ownership of it.</summary>
    public SipStreamReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>CRLFCRLF pings received so far.</summary>
    public int KeepAlivePings { get; private set; }

    /// <summary>
    /// The next message, or null when the peer closed the connection. Throws <see cref="TimeoutException"/> when none
    /// is complete within <paramref name="timeout"/>, and <see cref="InvalidDataException"/> when the stream cannot be
    /// framed or the message does not parse.
    /// </summary>
    public async Task<SipMessage?> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        while (true)
        {
            var frame = SipFrameScanner.Scan(_buffer.AsSpan(0, _buffered), SipLimits.Default);
            switch (frame.Status)
            {
                case FrameStatus.Message:
                    var bytes = _buffer.AsSpan(0, frame.Length).ToArray();
                    Consume(frame.Length);
                    var parsed = SipParser.Parse(bytes);
                    return parsed.Message ?? throw new InvalidDataException($"unparsable SIP message ({parsed.Error}):\n{System.Text.Encoding.Latin1.GetString(bytes)}");
                case FrameStatus.KeepAlivePing:
                    KeepAlivePings++;
                    Consume(frame.Length);
                    continue;
                case FrameStatus.KeepAlivePong:
                    Consume(frame.Length);
                    continue;
                case FrameStatus.Invalid:
                    throw new InvalidDataException($"unframable SIP stream: {frame.Error}");
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_buffered), timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no complete SIP message within {timeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex) when (ex is IOException or AuthenticationException or ObjectDisposedException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _buffered += read;
        }
    }

    private void Consume(int length)
    {
        Buffer.BlockCopy(_buffer, length, _buffer, 0, _buffered - length);
        _buffered -= length;
    }
}
