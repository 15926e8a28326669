using SipTrunk.Testing;
using SipTrunk.Testing.Postgres;

namespace SipTrunk.Core.Tests.Storage;

/// <summary>The test harness's own failure mode: without PostgreSQL installed, tests fail saying what to install.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public void Constructor_NoServerBinaries_ThrowsNamingThePackage()
    {
        using var empty = new TempDirectory();

        var error = Assert.Throws<InvalidOperationException>(() => new PostgresServer(empty.Path));

        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains(empty.Path, error.Message, StringComparison.Ordinal);
    }
}
