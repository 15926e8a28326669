using SipTrunk.Core.Registrar;

namespace SipTrunk.Core.Storage;

/// <summary>STUB: registrar bindings in PostgreSQL (the storage helper implements it, like SqliteRegistrationStore).</summary>
public sealed class PostgresRegistrationStore : IRegistrationStore
{
    private readonly string _connectionString;

    public PostgresRegistrationStore(string connectionString) => _connectionString = connectionString;

    public Task InitializeAsync(CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<IReadOnlyList<RegistrarBinding>> LoadAsync(CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task ReplaceAsync(string aor, IReadOnlyList<RegistrarBinding> bindings, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new NotImplementedException(_connectionString);
}
