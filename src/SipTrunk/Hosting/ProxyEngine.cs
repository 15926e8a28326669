using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SipTrunk.Configuration;
using SipTrunk.Core.Auth;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Media;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Auth;

namespace SipTrunk.Hosting;

/// <summary>
/// The composition root of the signalling engine: transports → transaction layer → proxy core, plus carrier health
/// checks, built from the validated configuration. Owns every long-running task it starts.
/// </summary>
internal sealed partial class ProxyEngine : IAsyncDisposable
{
    private readonly SipTrunkOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly ILogger<ProxyEngine> _logger;
    private readonly CancellationTokenSource _stopping = new();

    // Stopped last: the registrar's final flush must follow the last REGISTER the transports could deliver.
    private readonly CancellationTokenSource _storeStopping = new();
    private SipTransportService? _transports;
    private SipProxy? _proxy;
    private MediaRelay? _relay;
    private CallRecordWriter? _writer;
    private IRegistrationStore? _registrationStore;
    private Task? _writerLoop;
    private MediaService? _media;
    private Task? _healthLoop;
    private Task? _locationLoop;

    public ProxyEngine(SipTrunkOptions options, SipTrunkMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        _options = options;
        Metrics = metrics;
        _loggers = loggers;
        _time = time;
        _logger = loggers.CreateLogger<ProxyEngine>();
        Calls = new CallCounters(time);
    }

    public SipTrunkMetrics Metrics { get; }

    /// <summary>Active and ended calls, as the proxy reports them.</summary>
    public CallCounters Calls { get; }

    /// <summary>Call records: written behind the signalling, spooled while the store is down.</summary>
    public CallRecordWriter? CallRecords => _writer;

    /// <summary>The registrar's bindings, once started.</summary>
    public LocationService? Locations { get; private set; }

    /// <summary>Every carrier's health (OPTIONS checks), once started.</summary>
    public CarrierHealthRegistry? CarrierHealth { get; private set; }

    /// <summary>Sources banned for failed authentications.</summary>
    public AuthFailureTracker? AuthFailures { get; private set; }

    /// <summary><c>Sip:UserAgent</c> for the Server and User-Agent headers; null when empty (no header).</summary>
    private string? UserAgent => string.IsNullOrEmpty(_options.Sip.UserAgent) ? null : _options.Sip.UserAgent;

    /// <summary>The listeners with their bound addresses, once started.</summary>
    public IReadOnlyList<BoundListener> Listeners => _transports?.Listeners ?? [];

    /// <summary>Loads certificates, binds every enabled listener and starts routing.</summary>
    /// <exception cref="SipTransportException">A listener cannot bind.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tlsOptions = _options.Tls;
        var material = LoadTlsMaterial(tlsOptions);
        var trusted = material.TrustedCaCertificates;
        var tls = material.ApplyTo(new TlsSettings
        {
            ServerCertificate = material.ServerCertificate,
            TrustedCaCertificates = trusted,
            Protocols = tlsOptions.MinProtocol == TlsProtocolVersion.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13,
            CipherSuites = [.. tlsOptions.CipherSuites.Select(Enum.Parse<TlsCipherSuite>)],
            SessionResumption = tlsOptions.SessionResumption,
        });
        TlsMaterial = material;
        var limits = _options.Limits;
        var transportSettings = new TransportSettings
        {
            HandshakeTimeout = TimeSpan.FromSeconds(tlsOptions.HandshakeTimeoutSeconds),
            PartialMessageTimeout = TimeSpan.FromSeconds(limits.PartialMessageSeconds),
            IdleTimeout = TimeSpan.FromSeconds(limits.IdleConnectionSeconds),
            MaxConnectionsPerIp = limits.MaxConnectionsPerIp,
            MaxMessageBytes = limits.MaxMessageBytes,
            RequestRateLimit = new RequestRateLimit(limits.RequestsPerSecondPerIp, limits.RequestBurstPerIp),
            UserAgent = UserAgent,
        };

        var snapshot = EngineModel.ToSnapshot(_options, trusted);
        var carriers = snapshot.Carriers;
        var enabled = _options.Listeners.Where(l => l.Enabled).ToList();
        var settings = new ProxySettings
        {
            Domain = _options.Domain,
            LocalEndpoints = [.. enabled.Select(l => new LocalEndpoint(EngineModel.ToTransport(l.Transport), AdvertisedHost(l), l.Port))],
            FailoverOnCodes = _options.Routing.FailoverOnCodes.ToHashSet(),
            InviteTimeout = TimeSpan.FromSeconds(_options.Routing.InviteTimeoutSeconds),
        };

        var timers = new TransactionTimers(
            TimeSpan.FromMilliseconds(_options.Timers.T1Milliseconds),
            TimeSpan.FromMilliseconds(_options.Timers.T2Milliseconds),
            TimeSpan.FromMilliseconds(_options.Timers.T4Milliseconds));
        var transactions = new TransactionLayer(timers, _time, Metrics, _loggers.CreateLogger<TransactionLayer>()) { UserAgent = UserAgent };
        var failures = new AuthFailureTracker(limits.AuthFailuresBeforeBan, TimeSpan.FromSeconds(limits.BanSeconds), _time);
        AuthFailures = failures;
        _transports = new SipTransportService(transportSettings, tls, transactions, Metrics, _time, _loggers.CreateLogger<SipTransportService>(), failures);
        var transports = _transports;
        var locations = await StartLocationsAsync(cancellationToken).ConfigureAwait(false);
        var digestOptions = _options.Digest;
        var peerServices = new PeerServices
        {
            Digest = DigestServerAuthenticator.CreateRandom(
                new DigestServerSettings
                {
                    Realm = digestOptions.Realm,
                    Algorithms = [.. digestOptions.Algorithms.Select(a => DigestAlgorithms.TryParse(a, out var algorithm) ? algorithm : throw new InvalidOperationException($"Digest.Algorithms: unknown {a}"))],
                    NonceLifetime = TimeSpan.FromSeconds(digestOptions.NonceLifetimeSeconds),
                },
                _time),
            Failures = failures,
            DisconnectBanned = address => transports.CloseInboundFlowsFrom(address),
            CallLimiter = new PeerCallLimiter(_time),
            Registrar = new Registrar(new RegistrarSettings(), locations, _time),
            Locations = locations,
            RefusalLog = new KeyedLogThrottle(TimeSpan.FromMinutes(1), _time),
        };
        var mediaOptions = _options.Media;
        _relay = new MediaRelay(
            new MediaRelaySettings { BindAddress = IPAddress.Parse(mediaOptions.Address), PortMin = mediaOptions.PortRange.Min, PortMax = mediaOptions.PortRange.Max },
            Metrics,
            _time,
            _loggers.CreateLogger<MediaRelay>());
        _media = new MediaService(
            new MediaSettings
            {
                AdvertisedAddress = EngineModel.MediaAdvertisedAddress(mediaOptions),
                Mode = mediaOptions.SrtpMode == SrtpMode.Passthrough ? SrtpRelayMode.Passthrough : SrtpRelayMode.Rekey,
                InactivityTimeout = TimeSpan.FromSeconds(mediaOptions.InactivityTimeoutSeconds),
            },
            _relay,
            _loggers.CreateLogger<MediaService>());
        _writer = new CallRecordWriter(
            CallRecordStores.Create(_options.Storage),
            new CallRecordWriterSettings { SpoolDirectory = _options.Storage.SpoolDirectory, Retention = TimeSpan.FromDays(_options.Storage.RetentionDays) },
            Metrics,
            _time,
            _loggers.CreateLogger<CallRecordWriter>());
        _writerLoop = _writer.RunAsync(_storeStopping.Token);
        var health = new CarrierHealthRegistry(carriers, _time, change => LogCarrierHealth(_logger, change.CarrierName, change.Previous, change.Current));
        CarrierHealth = health;
        _proxy = new SipProxy(
            settings,
            snapshot,
            new ProxyMessageFactory(settings, FlowTokenCodec.CreateRandom()),
            new TransportFlowConnector(_transports),
            new PriorityWeightedCarrierSelector(new Random()),
            health,
            new CallObservers(Calls, _writer),
            Metrics,
            _time,
            _loggers.CreateLogger<SipProxy>(),
            peerServices,
            _media);
        transactions.Attach(_proxy);
        _proxy.Attach(transactions);

        await _transports.StartAsync(
            [.. enabled.Select(l => new ListenerDefinition(
                l.Name,
                EngineModel.ToTransport(l.Transport),
                new IPEndPoint(IPAddress.Parse(l.Address), l.Port),
                l.EffectiveClientCertificate switch
                {
                    ClientCertificateMode.Require => ClientCertificateRequirement.Require,
                    ClientCertificateMode.Optional => ClientCertificateRequirement.Optional,
                    _ => ClientCertificateRequirement.None,
                }))],
            cancellationToken).ConfigureAwait(false);

        var monitor = new CarrierHealthMonitor(health, new CarrierOptionsProbe(_proxy), _time, _loggers.CreateLogger<CarrierHealthMonitor>());
        _healthLoop = monitor.RunAsync(_stopping.Token);
    }

    /// <summary>How long SipTrunk's own BYEs at the end of a drain may wait for their answers before the transports close.</summary>
    public static readonly TimeSpan TeardownLinger = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The time a stop needs beyond <c>DrainSeconds</c>: the teardown's BYEs, the record writer's final flush (its
    /// FlushTimeout, then the spool), the registrar's last write, and slack for a loaded machine.
    /// </summary>
    public static readonly TimeSpan StopMargin = TeardownLinger + CallRecordWriterSettings.DefaultFlushTimeout + TimeSpan.FromSeconds(8);

    /// <summary>
    /// The graceful first half of a stop (CONTRACT.md §2 run): new calls get 503, calls in progress may finish within
    /// <paramref name="drainTime"/>, then SipTrunk ends the rest. Listeners stay up meanwhile (in-dialog requests,
    /// CANCEL and REGISTER still flow). Returns how many calls SipTrunk ended itself.
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan drainTime, CancellationToken cancellationToken)
    {
        if (_proxy is null)
        {
            return 0;
        }

        var drain = new ProxyDrain(_proxy, _time, _loggers.CreateLogger<ProxyDrain>());
        return await drain.RunAsync(drainTime, TeardownLinger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The certificate files the transports use now (after the last successful reload).</summary>
    public LoadedTlsMaterial? TlsMaterial { get; private set; }

    /// <summary>
    /// Swaps in reloaded certificates, CAs and CRLs (<see cref="SipTransportService.UpdateTls"/>): new handshakes use
    /// them, established connections carry on.
    /// </summary>
    public void ApplyTlsMaterial(LoadedTlsMaterial material)
    {
        ArgumentNullException.ThrowIfNull(material);
        var transports = _transports ?? throw new InvalidOperationException("the engine is not started");
        transports.UpdateTls(material.ApplyTo(transports.Tls!));
        TlsMaterial = material;
    }

    /// <summary>Routes new requests with a reloaded configuration (calls in progress keep theirs).</summary>
    public void ApplySnapshot(ProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        (_proxy ?? throw new InvalidOperationException("the engine is not started")).UpdateSnapshot(snapshot);
    }

    /// <summary>Stops health checks, closes every flow and waits for the engine's tasks (registrations are flushed to the store).</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_healthLoop is not null)
        {
            try
            {
                await _healthLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_transports is not null)
        {
            await _transports.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (_proxy is not null)
        {
            await _proxy.StopAsync().ConfigureAwait(false);
        }

        if (_media is not null)
        {
            await _media.DisposeAsync().ConfigureAwait(false);
        }

        if (_relay is not null)
        {
            await _relay.DisposeAsync().ConfigureAwait(false);
        }

        await _storeStopping.CancelAsync().ConfigureAwait(false);
        if (_writerLoop is not null)
        {
            // The loop flushes what is queued (to the store, or to the spool) before it ends.
            await _writerLoop.ConfigureAwait(false);
        }

        if (_locationLoop is not null)
        {
            try
            {
                await _locationLoop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_transports is not null)
        {
            await _transports.DisposeAsync().ConfigureAwait(false);
        }

        _proxy?.Dispose();
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        // After the location loop's last flush (StopAsync): a PostgreSQL store holds a connection pool.
        if (_registrationStore is IAsyncDisposable registrations)
        {
            await registrations.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _storeStopping.Dispose();
    }

    /// <summary>
    /// Opens the registration store and loads the bindings a previous run left; a store that cannot be opened is logged
    /// and the registrar runs from memory (the write-behind loop keeps retrying), since registrations must never wait on it.
    /// </summary>
    private async Task<LocationService> StartLocationsAsync(CancellationToken cancellationToken)
    {
        var store = RegistrationStores.Create(_options.Storage);
        _registrationStore = store;
        var locations = new LocationService(store, _time, _loggers.CreateLogger<LocationService>());
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await locations.LoadAsync(cancellationToken).ConfigureAwait(false);
            LogRegistrationsLoaded(_logger, locations.Count);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRegistrationStoreUnavailable(_logger, exception.Message);
        }

        Locations = locations;
        _locationLoop = locations.RunAsync(_storeStopping.Token);
        return locations;
    }

    private LoadedTlsMaterial LoadTlsMaterial(TlsOptions tls)
    {
        // Checked moments ago by the configuration loader (or generated just now): a problem here is a file replaced since.
        var loaded = TlsMaterialLoader.Load(tls, _time.GetUtcNow());
        return loaded.Material ?? throw new InvalidOperationException(string.Join("; ", loaded.Problems));
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Registrar: {Count} binding(s) restored from the store")]
    private static partial void LogRegistrationsLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Registrar: the registration store is unavailable ({Reason}); registrations are kept in memory until it returns")]
    private static partial void LogRegistrationStoreUnavailable(ILogger logger, string reason);

    // The address written into Via and Record-Route: the listener's own address, or the domain for wildcard listeners.
    private string AdvertisedHost(ListenerOptions listener) =>
        IPAddress.TryParse(listener.Address, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            ? (string.IsNullOrEmpty(_options.Domain) ? "127.0.0.1" : _options.Domain)
            : listener.Address;

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Carrier {Carrier} health: {Previous} -> {Current}")]
    private static partial void LogCarrierHealth(ILogger logger, string carrier, CarrierHealthState previous, CarrierHealthState current);
}
