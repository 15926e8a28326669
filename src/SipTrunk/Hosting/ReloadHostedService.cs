using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SipTrunk.Configuration;

namespace SipTrunk.Hosting;

/// <summary>
/// Runs the <see cref="ReloadCoordinator"/> over a <see cref="ConfigurationReloader"/> while the engine runs: registered
/// after <see cref="SipTrunkHostedService"/>, so it starts once the engine is up and stops before the engine does.
/// </summary>
internal sealed class ReloadHostedService : IHostedService, IDisposable
{
    private readonly ConfigurationReloader _reloader;
    private readonly ReloadCoordinator _coordinator;

    public ReloadHostedService(ConfigurationLoadResult configuration, ProxyEngine engine, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _reloader = new ConfigurationReloader(configuration, engine, time, loggers.CreateLogger<ConfigurationReloader>());
        _coordinator = new ReloadCoordinator(_reloader, time, loggers.CreateLogger<ReloadCoordinator>());
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _reloader.StartExpiryWarnings();
        _coordinator.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _coordinator.Dispose();
        _reloader.Dispose();
    }
}
