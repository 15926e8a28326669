using SipTrunk.Configuration;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Storage;

namespace SipTrunk.Hosting;

/// <summary>The configured call-record store (<c>Storage:Provider</c>).</summary>
internal static class CallRecordStores
{
    public static ICallRecordStore Create(StorageOptions storage) => storage.Provider switch
    {
        StorageProvider.PostgreSql => new PostgresCallRecordStore(storage.ConnectionString),
        _ => new SqliteCallRecordStore(storage.ConnectionString),
    };
}
