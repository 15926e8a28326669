using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SipTrunk.Configuration;
using SipTrunk.Core.Proxy;

namespace SipTrunk.Hosting;

/// <summary>
/// Applies a reload to the running engine. The configuration file is read again (with the same environment and
/// command-line overrides) and validated as a whole; an invalid one is refused with every <c>key: reason</c> and the
/// running one stays. From a valid one, the parts that can change live are taken: <c>Peers</c>, <c>Carriers</c>,
/// <c>Routes</c> and <c>Routing.NumberNormalization</c> (one new <see cref="ProxySnapshot"/>, swapped atomically) and
/// the certificate files of <c>Tls</c>; every other changed setting is logged as needing a restart. The certificate
/// files are then loaded and swapped into the transports when they changed, or refused (file and reason logged) with
/// the old ones kept. Also warns, at start and daily, about certificates in use that expire soon.
/// </summary>
internal sealed partial class ConfigurationReloader : IReloadTarget, IDisposable
{
    /// <summary>Keys under <c>SipTrunk</c> that a reload applies; every other changed key needs a restart.</summary>
    private static readonly string[] LiveKeys =
    [
        "Peers", "Carriers", "Routes", "Routing:NumberNormalization",
        "Tls:Certificate", "Tls:PrivateKey", "Tls:TrustedCaCertificates", "Tls:CertificateRevocationLists", "Tls:CertificateExpiryWarningDays",
    ];

    private readonly ProxyEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILogger<ConfigurationReloader> _logger;
    private readonly string _configPath;
    private readonly IReadOnlyList<string> _overrides;
    private readonly IReadOnlyDictionary<string, string?>? _environment;
    private SipTrunkOptions _running;
    private IConfiguration _runningConfiguration;
    private ITimer? _dailyTimer;

    public ConfigurationReloader(ConfigurationLoadResult configuration, ProxyEngine engine, TimeProvider time, ILogger<ConfigurationReloader> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _engine = engine;
        _time = time;
        _logger = logger;
        _configPath = configuration.ConfigPath;
        _overrides = configuration.CommandLineOverrides;
        _environment = configuration.Environment;
        _running = configuration.Options;
        _runningConfiguration = configuration.Configuration;
    }

    /// <summary>The configuration in force: the start-up one with every reload accepted since.</summary>
    public SipTrunkOptions Running => Volatile.Read(ref _running);

    public IReadOnlyCollection<string> WatchedFiles
    {
        get
        {
            var tls = Running.Tls;
            return [.. new[] { _configPath, tls.Certificate, tls.PrivateKey }
                .Concat(tls.TrustedCaCertificates)
                .Concat(tls.CertificateRevocationLists)
                .Where(f => f.Length > 0)
                .Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>Warns about expiring certificates now, then once a day.</summary>
    public void StartExpiryWarnings()
    {
        WarnExpiring();
        _dailyTimer = _time.CreateTimer(_ => WarnExpiring(), null, TimeSpan.FromDays(1), TimeSpan.FromDays(1));
    }

    public void Reload(ReloadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var running = Running;
        var candidate = running;
        var configuration = _runningConfiguration;
        var configAccepted = false;
        if (request.Forced || request.ChangedFiles.Contains(_configPath))
        {
            if (LoadConfiguration(running) is { } loaded)
            {
                (candidate, configuration) = loaded;
                configAccepted = true;
            }
        }

        var tlsChanged = false;
        var tls = TlsMaterialLoader.Load(candidate.Tls, _time.GetUtcNow());
        if (tls.Material is not { } material)
        {
            foreach (var problem in tls.Problems)
            {
                LogTlsRefused(_logger, problem.Key, problem.Reason);
            }

            // Keep serving with the files that were loaded: the new paths (if any) are refused with their content.
            candidate = candidate with { Tls = running.Tls };
        }
        else if (!string.Equals(material.Fingerprint, _engine.TlsMaterial?.Fingerprint, StringComparison.Ordinal))
        {
            foreach (var warning in tls.Warnings)
            {
                LogMaterialWarning(_logger, warning.Key, warning.Reason);
            }

            _engine.ApplyTlsMaterial(material);
            tlsChanged = true;
        }

        if (configAccepted || tlsChanged)
        {
            // Carriers and peers' static URIs trust Tls.TrustedCaCertificates by default: new CAs mean a new snapshot too.
            var trusted = _engine.TlsMaterial!.TrustedCaCertificates;
            _engine.ApplySnapshot(EngineModel.ToSnapshot(candidate, trusted));
            WarnHealthChecks(running, candidate);
            Volatile.Write(ref _running, candidate);
            _runningConfiguration = configuration;
            if (configAccepted)
            {
                LogConfigurationReloaded(_logger, request.Trigger, candidate.Peers.Count, candidate.Carriers.Count, candidate.Routes.Count);
            }
        }
    }

    public void Dispose() => _dailyTimer?.Dispose();

    /// <summary>The keys under <c>SipTrunk</c> whose values differ and that a reload does not apply (<c>Listeners</c>, <c>Tls.HandshakeTimeoutSeconds</c>, …).</summary>
    internal static IReadOnlyList<string> RestartOnlyChanges(IConfiguration before, IConfiguration after)
    {
        static Dictionary<string, string?> Flatten(IConfiguration configuration) => configuration
            .GetSection(SipTrunkOptions.SectionName)
            .AsEnumerable(makePathsRelative: true)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

        var old = Flatten(before);
        var @new = Flatten(after);
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in old.Keys.Union(@new.Keys, StringComparer.OrdinalIgnoreCase))
        {
            if (string.Equals(old.GetValueOrDefault(key), @new.GetValueOrDefault(key), StringComparison.Ordinal)
                || LiveKeys.Any(live => key.Equals(live, StringComparison.OrdinalIgnoreCase) || key.StartsWith(live + ":", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            // Report the setting, not the array element: "Listeners", "Tls.HandshakeTimeoutSeconds", "Media.PortRange".
            var parts = key.Split(':');
            var depth = parts[0] is "Tls" or "Routing" or "Media" or "Limits" or "Storage" or "Admin" or "Digest" or "Timers" ? 2 : 1;
            changed.Add(string.Join('.', parts.Take(Math.Min(depth, parts.Length)).Where(p => !int.TryParse(p, out _))));
        }

        return [.. changed];
    }

    /// <summary>The running options with the live parts of <paramref name="loaded"/>.</summary>
    internal static SipTrunkOptions Merge(SipTrunkOptions running, SipTrunkOptions loaded) => running with
    {
        Peers = loaded.Peers,
        Carriers = loaded.Carriers,
        Routes = loaded.Routes,
        Routing = running.Routing with { NumberNormalization = loaded.Routing.NumberNormalization },
        Tls = running.Tls with
        {
            Certificate = loaded.Tls.Certificate,
            PrivateKey = loaded.Tls.PrivateKey,
            TrustedCaCertificates = loaded.Tls.TrustedCaCertificates,
            CertificateRevocationLists = loaded.Tls.CertificateRevocationLists,
            CertificateExpiryWarningDays = loaded.Tls.CertificateExpiryWarningDays,
        },
    };

    private (SipTrunkOptions Options, IConfiguration Configuration)? LoadConfiguration(SipTrunkOptions running)
    {
        ConfigurationLoadResult loaded;
        try
        {
            loaded = ConfigurationLoader.Load(_configPath, _overrides, _environment);
        }
        catch (FileNotFoundException)
        {
            Refuse([new ConfigProblem(_configPath, "file not found")]);
            return null;
        }

        // A bad certificate file is the TLS step's to refuse (keeping the running certificates); it must not also
        // hold back a peer or route change made in the same edit.
        var configProblems = loaded.Problems.Where(p => !IsCertificateFileProblem(p)).ToList();
        if (configProblems.Count > 0)
        {
            Refuse(configProblems);
            return null;
        }

        var merged = Merge(running, loaded.Options);

        // The live parts must also hold together with the settings that stay (e.g. client-certificate listeners need CAs).
        var problems = SipTrunkOptionsValidator.Validate(merged).Where(p => !IsCertificateFileProblem(p)).ToList();
        if (problems.Count > 0)
        {
            Refuse(problems);
            return null;
        }

        foreach (var key in RestartOnlyChanges(_runningConfiguration, loaded.Configuration))
        {
            LogNeedsRestart(_logger, key);
        }

        return (merged, loaded.Configuration);
    }

    private static bool IsCertificateFileProblem(ConfigProblem problem) =>
        problem.Key is "Tls.Certificate" or "Tls.PrivateKey"
        || problem.Key.StartsWith("Tls.TrustedCaCertificates[", StringComparison.Ordinal)
        || problem.Key.StartsWith("Tls.CertificateRevocationLists[", StringComparison.Ordinal);

    private void Refuse(List<ConfigProblem> problems)
    {
        foreach (var problem in problems)
        {
            LogConfigProblem(_logger, problem.Key, problem.Reason);
        }

        LogConfigRefused(_logger, _configPath, problems.Count);
    }

    // The health monitor probes the carriers it started with (CarrierHealthRegistry is fixed per engine).
    private void WarnHealthChecks(SipTrunkOptions before, SipTrunkOptions after)
    {
        foreach (var carrier in after.Carriers)
        {
            var old = before.Carriers.FirstOrDefault(c => string.Equals(c.Name, carrier.Name, StringComparison.Ordinal));
            if (old is null || old.Uri != carrier.Uri || old.HealthCheck != carrier.HealthCheck)
            {
                LogHealthCheckNeedsRestart(_logger, carrier.Name);
            }
        }
    }

    private void WarnExpiring()
    {
        try
        {
            if (_engine.TlsMaterial is not { } material)
            {
                return;
            }

            var now = _time.GetUtcNow();
            foreach (var notice in material.Expiring(Running.Tls.CertificateExpiryWarningDays, now))
            {
                LogCertificateExpiry(_logger, notice.Key, notice.Describe(now));
            }
        }
        catch (Exception ex)
        {
            // A timer callback must not throw: it would end the process.
            LogExpiryCheckFailed(_logger, ex);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Configuration reload refused: {Key}: {Reason}")]
    private static partial void LogConfigProblem(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Configuration reload of {ConfigPath} refused ({Count} problem(s)); the running configuration stays")]
    private static partial void LogConfigRefused(ILogger logger, string configPath, int count);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Configuration reload: {Key} changed, which needs a restart; the running value stays until then")]
    private static partial void LogNeedsRestart(ILogger logger, string key);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Configuration reloaded ({Trigger}): {Peers} peer(s), {Carriers} carrier(s), {Routes} route(s)")]
    private static partial void LogConfigurationReloaded(ILogger logger, string trigger, int peers, int carriers, int routes);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "TLS reload refused: {Key}: {Reason}; the running certificates stay")]
    private static partial void LogTlsRefused(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "TLS reload: {Key}: {Reason}")]
    private static partial void LogMaterialWarning(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Certificate {Key} {Description}")]
    private static partial void LogCertificateExpiry(ILogger logger, string key, string description);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning, Message = "Carrier {Carrier} is new or changed its Uri or HealthCheck: its health checks follow the new settings after a restart")]
    private static partial void LogHealthCheckNeedsRestart(ILogger logger, string carrier);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Error, Message = "Certificate expiry check failed")]
    private static partial void LogExpiryCheckFailed(ILogger logger, Exception exception);
}
