using System.Threading.Channels;
using SipTrunk.Core.Registrar;

namespace SipTrunk.Core.Tests.Registrar;

/// <summary>An in-memory store that can be made to fail, and reports every write and purge as it happens.</summary>
internal sealed class MemoryRegistrationStore : IRegistrationStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyList<RegistrarBinding>> _rows = new(StringComparer.Ordinal);

    /// <summary>While true, every call throws <see cref="IOException"/> (a database outage).</summary>
    public volatile bool Fail;

    /// <summary>Each ReplaceAsync attempt: the AOR and whether it succeeded.</summary>
    public Channel<(string Aor, bool Succeeded)> Attempts { get; } = Channel.CreateUnbounded<(string, bool)>();

    /// <summary>Each DeleteExpiredAsync call's result.</summary>
    public Channel<int> Purges { get; } = Channel.CreateUnbounded<int>();

    public int WriteCount { get; private set; }

    public IReadOnlyList<RegistrarBinding> Rows(string aor)
    {
        lock (_lock)
        {
            return _rows.TryGetValue(aor, out var rows) ? rows : [];
        }
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<RegistrarBinding>> LoadAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RegistrarBinding>>([.. _rows.Values.SelectMany(r => r)]);
        }
    }

    public Task ReplaceAsync(string aor, IReadOnlyList<RegistrarBinding> bindings, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            Attempts.Writer.TryWrite((aor, false));
            throw new IOException("store is down");
        }

        lock (_lock)
        {
            _rows[aor] = [.. bindings];
            WriteCount++;
        }

        Attempts.Writer.TryWrite((aor, true));
        return Task.CompletedTask;
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        var deleted = 0;
        lock (_lock)
        {
            foreach (var (aor, rows) in _rows.ToArray())
            {
                var live = rows.Where(b => b.ExpiresAt > now).ToArray();
                deleted += rows.Count - live.Length;
                _rows[aor] = live;
            }
        }

        Purges.Writer.TryWrite(deleted);
        return Task.FromResult(deleted);
    }

    private void ThrowIfFailing()
    {
        if (Fail)
        {
            throw new IOException("store is down");
        }
    }
}
