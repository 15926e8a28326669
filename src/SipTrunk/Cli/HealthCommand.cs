using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SipTrunk.Configuration;

namespace SipTrunk.Cli;

/// <summary>
/// `siptrunk health [--url URL] [--timeout SECONDS]`: GETs the admin <c>/healthz</c> (CONTRACT.md §4) and exits 0 on a
/// 2xx answer, 1 otherwise. It is the container HEALTHCHECK: the ASP.NET runtime image has no curl or wget, and the
/// executable already knows where its admin server listens (<c>Admin:Urls</c> of the same configuration, with the
/// same environment and <c>--SipTrunk:Key=value</c> overrides as <c>run</c>).
/// </summary>
internal static class HealthCommand
{
    public const string Path = "/healthz";

    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var url = new Option<string?>("--url")
        {
            Description = "The URL to probe; by default /healthz on the first Admin:Urls entry (a wildcard host means loopback).",
            HelpName = "URL",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for the answer.",
            DefaultValueFactory = _ => 5,
            HelpName = "SECONDS",
        };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 300)
            {
                result.AddError("--timeout must be 1-300 seconds");
            }
        });
        var command = new Command("health", "Probes the running proxy's /healthz; exits 0 when it answers 2xx, 1 otherwise.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(url);
        command.Options.Add(timeout);
        command.SetAction((parseResult, cancellationToken) =>
            ProbeAsync(parseResult, config, parseResult.GetValue(url), parseResult.GetValue(timeout), cancellationToken));
        return command;
    }

    /// <summary>
    /// <c>/healthz</c> on the first of <paramref name="admin"/>'s URLs. A wildcard host (<c>0.0.0.0</c>, <c>[::]</c>,
    /// <c>*</c>, <c>+</c>) binds every address, loopback included, and the probe runs on the same machine.
    /// </summary>
    internal static Uri HealthUrl(AdminOptions admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var urls = admin.UrlList;
        var first = urls.Count > 0 ? urls[0] : throw new CliUserException("Admin.Urls: empty; pass --url");
        var text = first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUserException($"Admin.Urls: '{first}' is not an http:// or https:// URL; pass --url");
        }

        if (uri.Port == 0)
        {
            throw new CliUserException($"Admin.Urls: '{first}' has a port picked at start (0); pass --url");
        }

        var builder = new UriBuilder(uri) { Path = Path, Query = string.Empty };
        if (IPAddress.TryParse(uri.Host, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            builder.Host = address.AddressFamily == AddressFamily.InterNetworkV6 ? "[::1]" : "127.0.0.1";
        }

        return builder.Uri;
    }

    private static async Task<int> ProbeAsync(ParseResult parseResult, Option<string> config, string? urlText, int timeoutSeconds, CancellationToken cancellationToken)
    {
        if (ConfigCommand.WriteUsageErrors(parseResult))
        {
            return SipTrunkCli.UsageError;
        }

        Uri? url;
        if (urlText is null)
        {
            if (!ConfigCommand.TryLoad(parseResult, config, out var loaded))
            {
                return SipTrunkCli.UserError;
            }

            // Only the admin URL matters here; a configuration edited since start may be invalid while the
            // running process is healthy, so other problems do not fail the probe.
            url = HealthUrl(loaded.Options.Admin);
        }
        else if (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUserException($"--url: '{urlText}' is not an absolute http:// or https:// URL");
        }

        using var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        if (url.IsLoopback)
        {
            // On loopback the admin server presents the SIP server certificate, named for the public host, and the
            // probe sends no secret and reads only a status code: the certificate proves nothing worth checking here.
#pragma warning disable CA5359 // Loopback only, see above; any other host is validated as usual.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var output = parseResult.InvocationConfiguration.Output;
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var status = string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} {response.ReasonPhrase}");
            if (!response.IsSuccessStatusCode)
            {
                throw new CliUserException($"health: {url} answered {status}");
            }

            await output.WriteLineAsync($"healthy: {url} answered {status}").ConfigureAwait(false);
            return SipTrunkCli.Success;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CliUserException(string.Create(CultureInfo.InvariantCulture, $"health: {url} did not answer within {timeoutSeconds} s"));
        }
        catch (HttpRequestException ex)
        {
            throw new CliUserException($"health: {url}: {ex.Message}", ex);
        }
    }
}
