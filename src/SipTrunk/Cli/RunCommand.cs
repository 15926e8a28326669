using System.CommandLine;
using Microsoft.Extensions.Hosting;
using SipTrunk.Configuration;
using SipTrunk.Hosting;

namespace SipTrunk.Cli;

/// <summary>`siptrunk run` (CONTRACT.md §2).</summary>
internal static class RunCommand
{
    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Console log format: text or json (compact JSON).",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");

        var command = new Command("run", "Starts the proxy (the default command). Accepts --SipTrunk:Key=value overrides.")
        {
            // `--SipTrunk:Key=value` overrides arrive as unmatched tokens; anything else is still a usage error.
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(logFormat);

        // Synchronous on purpose: the host's console lifetime owns SIGINT/SIGTERM and drains for up to DrainSeconds.
        // An asynchronous System.CommandLine action would also hook the signals and give up after its own 2 s timeout.
        command.SetAction(parseResult => Run(parseResult, config, logFormat));
        return command;
    }

    private static int Run(ParseResult parseResult, Option<string> config, Option<string> logFormat)
    {
        var error = parseResult.InvocationConfiguration.Error;
        if (ConfigCommand.WriteUsageErrors(parseResult))
        {
            return SipTrunkCli.UsageError;
        }

        if (!ConfigCommand.TryLoad(parseResult, config, out var result))
        {
            return SipTrunkCli.UserError;
        }

        if (!result.IsValid)
        {
            ConfigSummary.WriteProblems(error, result);
            return SipTrunkCli.UserError;
        }

        // The root command reuses this action (run is the default) but has no --log-format option.
        var format = parseResult.GetResult(logFormat) is null ? "text" : parseResult.GetValue(logFormat);
        IHost host;
        try
        {
            host = SipTrunkHost.Build(result, format == "json" ? LogFormat.Json : LogFormat.Text);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine(ex.Message);
            return SipTrunkCli.UserError;
        }

        using (host)
        {
            try
            {
                host.Run();
            }
            catch (Core.Certificates.DevPkiException ex)
            {
                error.WriteLine($"Tls: {ex.Message}");
                return SipTrunkCli.UserError;
            }
            catch (Admin.AdminServerException ex)
            {
                error.WriteLine($"Admin.Urls: {ex.Message}");
                return SipTrunkCli.UserError;
            }
            catch (Core.Transport.SipTransportException ex)
            {
                // A listener that cannot bind (port in use, address not local) is the operator's to fix.
                error.WriteLine($"Listeners: {ex.Message}");
                return SipTrunkCli.UserError;
            }
            catch (OperationCanceledException)
            {
                // SIGINT/SIGTERM arrived while starting: nothing was serving yet, so this is a clean stop.
            }
        }

        return SipTrunkCli.Success;
    }
}
