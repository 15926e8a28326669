namespace SipTrunk.Configuration;

/// <summary><c>Storage</c>: the call-record store. A sqlite <c>Data Source</c> is absolute after binding.</summary>
internal sealed record StorageOptions
{
    public StorageProvider Provider { get; init; } = StorageProvider.Sqlite;

    public string ConnectionString { get; init; } = "Data Source=../data/siptrunk.db";

    public int RetentionDays { get; init; } = 90;
}
