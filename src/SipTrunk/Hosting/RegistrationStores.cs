using SipTrunk.Cli;
using SipTrunk.Configuration;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Storage;

namespace SipTrunk.Hosting;

/// <summary>The registration store named by <c>Storage:Provider</c>, for the proxy and for the CLI alike.</summary>
internal static class RegistrationStores
{
    /// <exception cref="CliUserException">The provider has no registration store.</exception>
    public static IRegistrationStore Create(StorageOptions storage) => storage.Provider switch
    {
        StorageProvider.Sqlite => new SqliteRegistrationStore(storage.ConnectionString),
        StorageProvider.PostgreSql => new PostgresRegistrationStore(storage.ConnectionString),
        _ => throw new CliUserException($"Storage.Provider: {storage.Provider} does not store registrations; use sqlite or postgresql"),
    };
}
