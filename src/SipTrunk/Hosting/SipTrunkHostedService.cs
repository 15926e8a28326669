using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SipTrunk.Admin;
using SipTrunk.Configuration;

namespace SipTrunk.Hosting;

/// <summary>
/// The proxy's lifetime inside the Generic Host: prepares certificates, will start listeners, and logs start and stop.
/// </summary>
internal sealed partial class SipTrunkHostedService : IHostedService
{
    private readonly SipTrunkOptions _options;
    private readonly ConfigurationLoadResult _configuration;
    private readonly DevCertificateBootstrapper _devCertificates;
    private readonly ILogger<SipTrunkHostedService> _logger;
    private readonly ProxyEngine _engine;
    private readonly AdminServer _admin;

    public SipTrunkHostedService(
        SipTrunkOptions options,
        ConfigurationLoadResult configuration,
        DevCertificateBootstrapper devCertificates,
        ProxyEngine engine,
        AdminServer admin,
        ILogger<SipTrunkHostedService> logger)
    {
        _engine = engine;
        _admin = admin;
        _options = options;
        _configuration = configuration;
        _devCertificates = devCertificates;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var missing = ConfigSummary.MissingCertificateFiles(_options);
        if (missing.Count > 0)
        {
            LogDevCertificatesMissing(_logger, missing);
            if (_devCertificates.EnsureCertificates(_options) is { } directory)
            {
                LogDevCertificatesCreated(_logger, directory);
            }
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var listeners = string.Join("; ", _options.Listeners.Where(l => l.Enabled).Select(ConfigSummary.DescribeListener));
            LogStarting(_logger, _configuration.ConfigPath, _options.Domain, listeners);
        }

        // The admin server first: /healthz answers while the engine starts, /readyz says when it is done, and a busy
        // admin port fails the start before any SIP socket is bound.
        await _admin.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _engine.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _admin.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopping(_logger, _options.DrainSeconds);
        _admin.BeginDraining();
        await _engine.DrainAsync(TimeSpan.FromSeconds(_options.DrainSeconds), cancellationToken).ConfigureAwait(false);
        await _engine.StopAsync().ConfigureAwait(false);
        await _admin.StopAsync(cancellationToken).ConfigureAwait(false);
    }


    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "SipTrunk starting with {ConfigPath}: domain {Domain}, listeners {Listeners}")]
    private static partial void LogStarting(ILogger logger, string configPath, string domain, string listeners);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "SipTrunk stopping (drain up to {DrainSeconds} s)")]
    private static partial void LogStopping(ILogger logger, int drainSeconds);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Certificate files missing, development certificates requested: {Files}")]
    private static partial void LogDevCertificatesMissing(ILogger logger, IReadOnlyList<string> files);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Development certificates written to {Directory}; do not use them in production")]
    private static partial void LogDevCertificatesCreated(ILogger logger, string directory);
}
