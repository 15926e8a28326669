using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using SipTrunk.Configuration;

namespace SipTrunk.Admin;

/// <summary>
/// The admin HTTP API and web dashboard (CONTRACT.md §4) on Kestrel at <c>Admin:Urls</c>: a web host of its own,
/// started after the SIP engine and stopped after it, so health and metrics stay visible while calls drain.
/// </summary>
internal sealed partial class AdminServer : IAsyncDisposable
{
    // Strict: only this origin's script, style and API; no inline code, no framing, no plugins (the page escapes
    // everything it shows, and the CSP makes an injection that slipped through inert).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly AdminOptions _options;
    private readonly IAdminSource _source;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly Func<X509Certificate2>? _httpsCertificate;
    private readonly ILogger<AdminServer> _logger;
    private readonly AdminLifecycle _lifecycle = new();
    private WebApplication? _app;
    private X509Certificate2? _certificate;

    /// <param name="options">URLs and token.</param>
    /// <param name="source">The running proxy's state.</param>
    /// <param name="loggers">The process's logging (Serilog in the executable).</param>
    /// <param name="time">The clock for relative queries, expiry and metrics.</param>
    /// <param name="httpsCertificate">Loads the certificate for <c>https://</c> URLs; called at start, only if one is configured.</param>
    public AdminServer(AdminOptions options, IAdminSource source, ILoggerFactory loggers, TimeProvider time, Func<X509Certificate2>? httpsCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _source = source;
        _loggers = loggers;
        _time = time;
        _httpsCertificate = httpsCertificate;
        _logger = loggers.CreateLogger<AdminServer>();
    }

    /// <summary>The addresses Kestrel listens on, with real ports when a URL asked for port 0; empty until started.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <summary>Binds every URL of <c>Admin:Urls</c> and starts serving.</summary>
    /// <exception cref="AdminServerException">A URL cannot be bound (address in use, not local) or its certificate loaded.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the admin server is already started");
        }

        WebApplication app;
        try
        {
            app = Build();
        }
        catch (Exception exception) when (exception is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new AdminServerException($"the HTTPS certificate cannot be loaded: {exception.Message}", exception);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            if (exception is IOException)
            {
                throw new AdminServerException(exception.Message, exception);
            }

            throw;
        }

        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Addresses = [.. addresses.Select(a => new Uri(a))];
        var authentication = _options.Token is null ? "without a token" : "with a bearer token";
        foreach (var address in addresses)
        {
            LogListening(_logger, address, authentication);
        }
    }

    /// <summary>From now on <c>/readyz</c> answers 503: the proxy is draining calls before it stops.</summary>
    public void BeginDraining() => _lifecycle.BeginDraining();

    /// <summary>Stops serving (requests in flight finish first, within <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _certificate?.Dispose();
    }

    /// <summary>The SIP server certificate (<c>Tls:Certificate</c>, <c>Tls:PrivateKey</c>), for <c>https://</c> admin URLs.</summary>
    public static X509Certificate2 LoadCertificate(TlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        using var pem = X509Certificate2.CreateFromPemFile(tls.Certificate, tls.PrivateKey);

        // A PEM key is ephemeral; SslStream's server side on Linux wants one it can export, so go through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private WebApplication Build()
    {
        var urls = _options.UrlList;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AdminServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls([.. urls]);
        if (urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) && _httpsCertificate is not null)
        {
            var certificate = _httpsCertificate();
            _certificate = certificate;
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        if (AllowedHosts(urls) is { } allowedHosts)
        {
            builder.Services.AddHostFiltering(filtering =>
            {
                filtering.AllowedHosts = allowedHosts;
                filtering.IncludeFailureMessage = false;
            });
        }

        builder.Services.AddRouting();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(_loggers);
        builder.Services.AddSingleton<IHostLifetime, AdminHostLifetime>();
        builder.Services.AddSingleton(_source);
        builder.Services.AddSingleton(_time);
        builder.Services.AddSingleton(_lifecycle);

        var app = builder.Build();
        if (AllowedHosts(urls) is not null)
        {
            app.UseHostFiltering();
        }

        app.UseExceptionHandler();
        app.Use(static (context, next) =>
        {
            var headers = context.Response.Headers;
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            headers[HeaderNames.XFrameOptions] = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (!context.Request.Path.Equals("/", StringComparison.Ordinal) && !context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal))
            {
                headers[HeaderNames.CacheControl] = "no-store";
            }

            return next(context);
        });
        app.UseStatusCodePages();
        StatusEndpoints.Map(app);
        ApiEndpoints.Map(app, _options.Token);
        DashboardEndpoints.Map(app, DashboardAssets.Load());
        return app;
    }

    /// <summary>
    /// The Host header values to accept: the URLs' own hosts and the loopback names, so that a web page elsewhere cannot
    /// reach a loopback admin API through DNS rebinding (its requests carry the attacker's host name). Null when a URL
    /// binds every address: then any name may lead here, and the token (required for such URLs) is the protection.
    /// </summary>
    internal static List<string>? AllowedHosts(IReadOnlyList<string> urls)
    {
        List<string> hosts = ["localhost", "127.0.0.1", "[::1]"];
        foreach (var url in urls)
        {
            var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
            var host = url[start..].Split('/')[0];
            host = host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)] : host.Split(':')[0];
            if (host is "*" or "+" or "0.0.0.0" or "[::]")
            {
                return null;
            }

            if (!hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                hosts.Add(host);
            }
        }

        return hosts;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Admin listening on {Url} ({Authentication})")]
    private static partial void LogListening(ILogger logger, string url, string authentication);
}
