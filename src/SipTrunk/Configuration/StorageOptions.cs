namespace SipTrunk.Configuration;

/// <summary><c>Storage</c>: the call-record store. A sqlite <c>Data Source</c> is absolute after binding.</summary>
internal sealed record StorageOptions
{
    public StorageProvider Provider { get; init; } = StorageProvider.Sqlite;

    public string ConnectionString { get; init; } = "Data Source=../data/siptrunk.db";

    public int RetentionDays { get; init; } = 90;

    /// <summary>
    /// Where call records wait while the store is unreachable (an append-only file, replayed when it returns);
    /// absolute after binding, relative paths are taken from the configuration file's directory.
    /// </summary>
    public string SpoolDirectory { get; init; } = "../data";
}
