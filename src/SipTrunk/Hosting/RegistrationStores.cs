using SipTrunk.Cli;
using SipTrunk.Configuration;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Storage;

namespace SipTrunk.Hosting;

/// <summary>The registration store named by <c>Storage:Provider</c>, for the proxy and for the CLI alike.</summary>
internal static class RegistrationStores
{
    /// <exception cref="CliUserException">The provider has no registration store yet.</exception>
    public static IRegistrationStore Create(StorageOptions storage) => storage.Provider switch
    {
        StorageProvider.Sqlite => new SqliteRegistrationStore(storage.ConnectionString),
        _ => throw new CliUserException($"Storage.Provider: {storage.Provider} does not store registrations yet; use sqlite"),
    };
}
