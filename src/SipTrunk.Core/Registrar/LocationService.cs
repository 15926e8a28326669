using Microsoft.Extensions.Logging;

namespace SipTrunk.Core.Registrar;

/// <summary>
/// The location service (RFC 3261 §10): current bindings by address of record, in memory, written behind to an
/// <see cref="IRegistrationStore"/> so a restart keeps them. Thread-safe.
/// </summary>
public sealed partial class LocationService
{
    public LocationService(IRegistrationStore store, TimeProvider time, ILogger<LocationService> logger)
    {
        _ = store;
        _ = time;
        _ = logger;
    }

    /// <summary>Unexpired bindings in memory.</summary>
    public int Count => throw new NotImplementedException();

    /// <summary>Loads the store's unexpired bindings (their flows belong to a previous process: FlowId 0).</summary>
    public Task LoadAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Writes changes behind and purges expired bindings until cancelled; flushes pending writes before returning.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Waits until every change made so far is in the store.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Unexpired bindings of one address of record.</summary>
    public IReadOnlyList<RegistrarBinding> Get(string aor) => throw new NotImplementedException();

    /// <summary>Unexpired bindings of every AOR of <paramref name="peer"/>, highest q first, then most recently refreshed.</summary>
    public IReadOnlyList<RegistrarBinding> Lookup(string peer) => throw new NotImplementedException();

    /// <summary>Every unexpired binding.</summary>
    public IReadOnlyList<RegistrarBinding> Snapshot() => throw new NotImplementedException();

    /// <summary>Replaces the bindings of <paramref name="aor"/> (empty removes it) and queues the store write.</summary>
    public void Replace(string aor, IReadOnlyList<RegistrarBinding> bindings) => throw new NotImplementedException();
}
