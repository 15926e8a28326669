using Microsoft.Data.Sqlite;

namespace SipTrunk.Core.Tests.Storage;

/// <summary>A SQLite file in a fresh temporary directory (in a not-yet-existing subfolder), deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "siptrunk-tests-" + Guid.NewGuid().ToString("N"));

    public TempDatabase() => FilePath = Path.Combine(_root, "data", "registrations.db");

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    public void Dispose()
    {
        // Pooled connections keep the file open; close them so the directory can go.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
