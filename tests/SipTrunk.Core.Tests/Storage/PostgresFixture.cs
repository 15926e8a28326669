using System.Diagnostics.CodeAnalysis;
using SipTrunk.Testing.Postgres;

namespace SipTrunk.Core.Tests.Storage;

/// <summary>One PostgreSQL cluster per test class (initdb takes about half a second); each test gets its own database.</summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture did not start.");

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(CancellationToken cancellationToken) =>
        Server.CreateDatabaseAsync("test_" + Guid.NewGuid().ToString("N"), cancellationToken);

    public async Task InitializeAsync()
    {
        _server = new PostgresServer();
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
