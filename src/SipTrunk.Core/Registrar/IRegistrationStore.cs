namespace SipTrunk.Core.Registrar;

/// <summary>
/// Where registrar bindings persist so a restart keeps them (SQLite by default, PostgreSQL for several nodes). The
/// registrar's memory is authoritative while running; the store is written behind it and read at start and by the CLI.
/// </summary>
public interface IRegistrationStore
{
    /// <summary>Creates or migrates the schema. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Every stored binding, expired ones included (the caller filters by time).</summary>
    Task<IReadOnlyList<RegistrarBinding>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces every stored binding of <paramref name="aor"/> with <paramref name="bindings"/> (empty removes them), atomically.</summary>
    Task ReplaceAsync(string aor, IReadOnlyList<RegistrarBinding> bindings, CancellationToken cancellationToken);

    /// <summary>Deletes bindings that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
