using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting.Compact;
using SipTrunk.Admin;
using SipTrunk.Configuration;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Hosting;

/// <summary>Builds the Generic Host that <c>siptrunk run</c> runs.</summary>
internal static class SipTrunkHost
{
    private const string TextTemplate =
        "[{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>Builds a host for a validated configuration.</summary>
    /// <exception cref="InvalidOperationException">The <c>Serilog</c> section cannot be applied.</exception>
    public static IHost Build(ConfigurationLoadResult configuration, LogFormat logFormat, DevCertificateBootstrapper? devCertificates = null)
    {
        if (!configuration.IsValid)
        {
            throw new ArgumentException("the configuration has problems", nameof(configuration));
        }

        var options = configuration.Options;

        // Empty builder: no appsettings.json or default providers; the configuration was loaded (and validated) already.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Path.GetDirectoryName(configuration.ConfigPath),
        });
        builder.Configuration.AddConfiguration(configuration.Configuration);

        builder.Services.AddSerilog(CreateLogger(configuration.Configuration, logFormat), dispose: true);
        builder.Services.Configure<HostOptions>(host =>
        {
            // Calls may finish for up to DrainSeconds after SIGINT/SIGTERM (CONTRACT.md §2), and then the last BYEs, the
            // call records' flush and the registrar's last write need their moment before the host gives up waiting.
            host.ShutdownTimeout = TimeSpan.FromSeconds(options.DrainSeconds) + ProxyEngine.StopMargin;
        });
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(configuration);
        builder.Services.AddSingleton(devCertificates ?? new DevCertificateBootstrapper());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SipTrunkMetrics>();
        builder.Services.AddSingleton<ProxyEngine>();
        builder.Services.AddSingleton<IAdminSource>(services =>
        {
            var engine = services.GetRequiredService<ProxyEngine>();
            return new EngineAdminSource(engine, options, () => engine.CallRecords?.Store);
        });
        builder.Services.AddSingleton(services => new AdminServer(
            options.Admin,
            services.GetRequiredService<IAdminSource>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<TimeProvider>(),
            () => AdminServer.LoadCertificate(options.Tls)));
        builder.Services.AddHostedService<SipTrunkHostedService>();

        // After the engine's service: starts once the engine is up, stops before it.
        builder.Services.AddHostedService<ReloadHostedService>();
        return builder.Build();
    }

    private static Serilog.Core.Logger CreateLogger(IConfiguration configuration, LogFormat logFormat)
    {
        var loggerConfiguration = new LoggerConfiguration();
        try
        {
            loggerConfiguration.ReadFrom.Configuration(configuration);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"Serilog: {ex.Message}", ex);
        }

        // CONTRACT.md §6: call properties reach every sink, JSON included. The proxy's ILogger.BeginScope scopes
        // (CallId, Peer, Carrier) are attached by the Serilog logger provider; LogContext carries any pushed directly.
        loggerConfiguration.Enrich.FromLogContext();

        // The console is the default sink; a Serilog section with its own WriteTo takes over entirely.
        if (!configuration.GetSection("Serilog:WriteTo").GetChildren().Any())
        {
            if (logFormat == LogFormat.Json)
            {
                loggerConfiguration.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                loggerConfiguration.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return loggerConfiguration.CreateLogger();
    }
}
