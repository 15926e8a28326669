using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SipTrunk.Testing.Peers;

/// <summary>
/// A client of baresip's <c>ctrl_tcp</c> module: netstrings (<c>LEN:JSON,</c>) both ways. Commands go out as
/// <c>{"command":…,"params":…,"token":…}</c>; baresip answers <c>{"response":true,"ok":…,"data":…,"token":…}</c> and
/// pushes <c>{"event":true,"type":…}</c> for registrations and calls. Every message received is kept.
/// </summary>
internal sealed class BaresipControl : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<string> _messages = [];
    private readonly Lock _messagesLock = new();
    private readonly Task _readLoop;
    private int _nextToken;

    private BaresipControl(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _readLoop = ReadLoopAsync(_stop.Token);
    }

    /// <summary>Every JSON message received so far, in order.</summary>
    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messagesLock)
            {
                return [.. _messages];
            }
        }
    }

    public static async Task<BaresipControl> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            return new BaresipControl(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="command"/> and returns the response's <c>data</c>; throws when it is not ok.</summary>
    public async Task<string> SendAsync(string command, string? parameters, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var token = Interlocked.Increment(ref _nextToken).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[token] = answer;
        try
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
            {
                ["command"] = command,
                ["params"] = parameters ?? string.Empty,
                ["token"] = token,
            });
            var frame = new byte[json.Length + 16];
            var prefix = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{json.Length}:"));
            prefix.CopyTo(frame, 0);
            json.CopyTo(frame, prefix.Length);
            frame[prefix.Length + json.Length] = (byte)',';
            await _stream.WriteAsync(frame.AsMemory(0, prefix.Length + json.Length + 1), cancellationToken).ConfigureAwait(false);

            var response = await answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            var data = response.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() ?? string.Empty : string.Empty;
            if (!response.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
            {
                throw new InvalidOperationException($"baresip refused '{command} {parameters}': {data}");
            }

            return data;
        }
        finally
        {
            _pending.TryRemove(token, out _);
        }
    }

    /// <summary>The first event of <paramref name="type"/> (e.g. <c>CALL_INCOMING</c>) received so far, if any.</summary>
    public JsonElement? FindEvent(string type) => FindEvent(type, 0)?.Event;

    /// <summary>
    /// The first event of <paramref name="type"/> at or after message index <paramref name="start"/>, and the index
    /// just past it (where to look for the next one).
    /// </summary>
    public (JsonElement Event, int Next)? FindEvent(string type, int start)
    {
        var messages = Messages;
        for (var i = start; i < messages.Count; i++)
        {
            using var document = JsonDocument.Parse(messages[i]);
            var root = document.RootElement;
            if (root.TryGetProperty("event", out var isEvent) && isEvent.ValueKind == JsonValueKind.True
                && root.TryGetProperty("type", out var t) && t.ValueEquals(type))
            {
                return (root.Clone(), i + 1);
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _tcp.Dispose();
        await _readLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var buffered = 0;
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer.AsMemory(buffered), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                buffered += read;
                var consumed = 0;
                while (TryTakeNetstring(buffer.AsSpan(consumed, buffered - consumed), out var payload, out var length))
                {
                    Receive(Encoding.UTF8.GetString(payload));
                    consumed += length;
                }

                Buffer.BlockCopy(buffer, consumed, buffer, 0, buffered - consumed);
                buffered -= consumed;
                if (buffered == buffer.Length)
                {
                    throw new InvalidDataException("ctrl_tcp message larger than the buffer");
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException or InvalidDataException or JsonException)
        {
            // baresip quit, or we are disposing: pending commands fail below.
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException("the baresip control connection closed"));
            }
        }
    }

    // A netstring is "<decimal length>:<payload>," (ctrl_tcp writes them back to back).
    private static bool TryTakeNetstring(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> payload, out int length)
    {
        payload = default;
        length = 0;
        var colon = data.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        if (!int.TryParse(data[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new InvalidDataException("bad netstring length from ctrl_tcp");
        }

        if (data.Length < colon + 1 + size + 1)
        {
            return false;
        }

        payload = data.Slice(colon + 1, size);
        length = colon + 1 + size + 1;
        return true;
    }

    private void Receive(string json)
    {
        lock (_messagesLock)
        {
            _messages.Add(json);
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("response", out var isResponse) && isResponse.ValueKind == JsonValueKind.True
            && root.TryGetProperty("token", out var token) && token.GetString() is { } key
            && _pending.TryGetValue(key, out var pending))
        {
            pending.TrySetResult(root.Clone());
        }
    }
}
