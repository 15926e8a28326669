namespace SipTrunk.Configuration;

/// <summary><c>Storage.Provider</c>: where call records are kept.</summary>
internal enum StorageProvider
{
    Sqlite,
    PostgreSql,
}
