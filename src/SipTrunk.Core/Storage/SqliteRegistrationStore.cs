using SipTrunk.Core.Registrar;

namespace SipTrunk.Core.Storage;

/// <summary>Placeholder until the registrar branch lands.</summary>
public sealed class SqliteRegistrationStore : IRegistrationStore
{
    public SqliteRegistrationStore(string connectionString) => _ = connectionString;

    public Task InitializeAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<RegistrarBinding>> LoadAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task ReplaceAsync(string aor, IReadOnlyList<RegistrarBinding> bindings, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new NotImplementedException();
}
