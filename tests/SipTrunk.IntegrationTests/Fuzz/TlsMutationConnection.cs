using System.Collections.Concurrent;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Pki;

namespace SipTrunk.IntegrationTests.Fuzz;

/// <summary>One mTLS connection of the malformed-traffic test: a reader tallies every answer until SipTrunk closes it.</summary>
internal sealed class TlsMutationConnection : IAsyncDisposable
{
    private const string Channel = "t";

    private readonly TlsSipClient _client;
    private readonly TrafficTally _tally;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<bool>> _sentinels = new();
    private readonly Task _reading;
    private volatile bool _disposing;

    private TlsMutationConnection(TlsSipClient client, TrafficTally tally)
    {
        _client = client;
        _tally = tally;
        _reading = ReadAsync();
    }

    /// <summary>True once SipTrunk closed the connection.</summary>
    public bool Closed { get; private set; }

    public static async Task<TlsMutationConnection> OpenAsync(int port, CertificateFiles certificate, string caPath, TrafficTally tally, CancellationToken cancellationToken)
    {
        var client = await TlsSipClient.ConnectAsync(port, certificate, caPath, cancellationToken);
        tally.ConnectionsOpened++;
        return new TlsMutationConnection(client, tally);
    }

    /// <summary>Writes <paramref name="bytes"/>; false when the connection is gone.</summary>
    public async Task<bool> TrySendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        if (Closed)
        {
            return false;
        }

        try
        {
            // Latin-1 maps every byte to one char and back, so the exact bytes go out.
            await _client.SendAsync(System.Text.Encoding.Latin1.GetString(bytes), cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Sends sentinel <paramref name="number"/> and waits for its 400; false when SipTrunk closed the connection first.</summary>
    public async Task<bool> SyncAsync(int number, CancellationToken cancellationToken)
    {
        var answered = _sentinels.GetOrAdd(number, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!await TrySendAsync(Sentinel.Create(Channel, number, "TLS", 5061), cancellationToken))
        {
            return false;
        }

        return Closed ? answered.Task.IsCompletedSuccessfully && answered.Task.Result : await answered.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    /// <summary>Gives answers still in flight <paramref name="grace"/> to arrive (or SipTrunk time to close), then closes.</summary>
    public async Task RetireAsync(TimeSpan grace)
    {
        try
        {
            await _reading.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            // Still open (a frame SipTrunk waits to complete): our side closes it.
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        await _client.DisposeAsync();
        await _reading;
    }

    private async Task ReadAsync()
    {
        await Task.Yield();
        while (true)
        {
            string? message;
            try
            {
                message = await _client.ReadMessageAsync(TimeSpan.FromMinutes(2));
            }
            catch (OperationCanceledException)
            {
                message = null;
            }

            if (message is null)
            {
                break;
            }

            var sentinel = Sentinel.Find(message, Channel);
            if (sentinel >= 0)
            {
                _sentinels.GetOrAdd(sentinel, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(true);
            }
            else
            {
                _tally.Observe(message);
            }
        }

        Closed = true;
        if (!_disposing)
        {
            _tally.CountClosedBySipTrunk();
        }

        foreach (var pending in _sentinels.Values)
        {
            pending.TrySetResult(false);
        }
    }
}
