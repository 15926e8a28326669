using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SipTrunk.Configuration;
using SipTrunk.Core.Diagnostics;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transactions;
using SipTrunk.Core.Transport;

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
    private SipTransportService? _transports;
    private SipProxy? _proxy;
    private Task? _healthLoop;

    public ProxyEngine(SipTrunkOptions options, SipTrunkMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        _options = options;
        Metrics = metrics;
        _loggers = loggers;
        _time = time;
        _logger = loggers.CreateLogger<ProxyEngine>();
    }

    public SipTrunkMetrics Metrics { get; }

    /// <summary>Active and ended calls, as the proxy reports them.</summary>
    public CallCounters Calls { get; } = new();

    /// <summary>The listeners with their bound addresses, once started.</summary>
    public IReadOnlyList<BoundListener> Listeners => _transports?.Listeners ?? [];

    /// <summary>Loads certificates, binds every enabled listener and starts routing.</summary>
    /// <exception cref="SipTransportException">A listener cannot bind.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tlsOptions = _options.Tls;
        var trusted = EngineModel.LoadCertificates(tlsOptions.TrustedCaCertificates);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(tlsOptions.Certificate);
        using var leaf = X509Certificate2.CreateFromPemFile(tlsOptions.Certificate, tlsOptions.PrivateKey);
        // OpenSSL needs an exportable, persisted key for the server side of SslStream on Linux.
        var serverCertificate = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in chain)
        {
            if (!string.Equals(certificate.Thumbprint, serverCertificate.Thumbprint, StringComparison.Ordinal))
            {
                intermediates.Add(certificate);
            }
        }

        var tls = new TlsSettings
        {
            ServerCertificate = serverCertificate,
            IntermediateCertificates = intermediates,
            TrustedCaCertificates = trusted,
            Protocols = tlsOptions.MinProtocol == TlsProtocolVersion.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13,
            CipherSuites = [.. tlsOptions.CipherSuites.Select(Enum.Parse<TlsCipherSuite>)],
        };
        var limits = _options.Limits;
        var transportSettings = new TransportSettings
        {
            HandshakeTimeout = TimeSpan.FromSeconds(tlsOptions.HandshakeTimeoutSeconds),
            PartialMessageTimeout = TimeSpan.FromSeconds(limits.PartialMessageSeconds),
            IdleTimeout = TimeSpan.FromSeconds(limits.IdleConnectionSeconds),
            MaxConnectionsPerIp = limits.MaxConnectionsPerIp,
            MaxMessageBytes = limits.MaxMessageBytes,
        };

        var carriers = _options.Carriers.Select(c => EngineModel.ToCarrier(c, trusted)).ToList();
        var snapshot = new ProxySnapshot(
            [.. _options.Peers.Select(EngineModel.ToPeer)],
            carriers,
            EngineModel.ToRoutes(_options),
            NumberNormalizers.Create(_options.Routing.NumberNormalization.ToString()));
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
        var transactions = new TransactionLayer(timers, _time, Metrics, _loggers.CreateLogger<TransactionLayer>());
        _transports = new SipTransportService(transportSettings, tls, transactions, Metrics, _time, _loggers.CreateLogger<SipTransportService>());
        var health = new CarrierHealthRegistry(carriers, _time, change => LogCarrierHealth(_logger, change.CarrierName, change.Previous, change.Current));
        _proxy = new SipProxy(
            settings,
            snapshot,
            new ProxyMessageFactory(settings, FlowTokenCodec.CreateRandom()),
            new TransportFlowConnector(_transports),
            new PriorityWeightedCarrierSelector(new Random()),
            health,
            Calls,
            Metrics,
            _time,
            _loggers.CreateLogger<SipProxy>());
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

    /// <summary>Stops health checks, closes every flow and waits for the engine's tasks.</summary>
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
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_transports is not null)
        {
            await _transports.DisposeAsync().ConfigureAwait(false);
        }

        _proxy?.Dispose();
        _stopping.Dispose();
    }

    // The address written into Via and Record-Route: the listener's own address, or the domain for wildcard listeners.
    private string AdvertisedHost(ListenerOptions listener) =>
        IPAddress.TryParse(listener.Address, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            ? (string.IsNullOrEmpty(_options.Domain) ? "127.0.0.1" : _options.Domain)
            : listener.Address;

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Carrier {Carrier} health: {Previous} -> {Current}")]
    private static partial void LogCarrierHealth(ILogger logger, string carrier, CarrierHealthState previous, CarrierHealthState current);
}
