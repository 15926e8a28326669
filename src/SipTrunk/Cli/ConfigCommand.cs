using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using SipTrunk.Configuration;

namespace SipTrunk.Cli;

/// <summary>`siptrunk config check` (CONTRACT.md §2).</summary>
internal static class ConfigCommand
{
    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var command = new Command("config", "Configuration tools.");
        var check = new Command(
            "check",
            "Validates the configuration; prints a summary, or every problem as `key: reason`. "
            + "Accepts --SipTrunk:Key=value overrides.")
        {
            // `--SipTrunk:Key=value` overrides are not options System.CommandLine knows; they arrive as unmatched tokens.
            TreatUnmatchedTokensAsErrors = false,
        };
        check.SetAction(parseResult => Check(parseResult, config));
        command.Subcommands.Add(check);
        return command;
    }

    private static int Check(ParseResult parseResult, Option<string> config)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        if (WriteUsageErrors(parseResult))
        {
            return SipTrunkCli.UsageError;
        }

        if (!TryLoad(parseResult, config, out var result))
        {
            return SipTrunkCli.UserError;
        }

        if (!result.IsValid)
        {
            ConfigSummary.WriteProblems(error, result);
            return SipTrunkCli.UserError;
        }

        ConfigSummary.WriteSummary(output, result);
        foreach (var warning in result.Warnings)
        {
            // Warnings alone leave the exit code 0: the configuration works today.
            output.WriteLine($"Warning: {warning}");
        }

        return SipTrunkCli.Success;
    }

    /// <summary>
    /// Loads the configuration named by <c>--config</c> with the command's overrides; a missing file is the one-line
    /// user error of CONTRACT.md §2, written here because the invocation's default exception handler would otherwise
    /// print a stack trace before <see cref="SipTrunkCli"/> sees a <see cref="CliUserException"/>.
    /// </summary>
    /// <summary>
    /// Writes a usage error for every unmatched token that is not a <c>--SipTrunk:Key=value</c> override;
    /// returns true if there was any.
    /// </summary>
    internal static bool WriteUsageErrors(ParseResult parseResult)
    {
        var usageErrors = ConfigurationLoader.FindUsageErrors(parseResult.UnmatchedTokens);
        foreach (var usageError in usageErrors)
        {
            parseResult.InvocationConfiguration.Error.WriteLine(usageError);
        }

        return usageErrors.Count > 0;
    }

    internal static bool TryLoad(ParseResult parseResult, Option<string> config, [NotNullWhen(true)] out ConfigurationLoadResult? result)
    {
        var path = parseResult.GetValue(config) ?? CommonOptions.DefaultConfigPath;
        try
        {
            result = ConfigurationLoader.Load(path, parseResult.UnmatchedTokens);
            return true;
        }
        catch (FileNotFoundException ex)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"config: file not found: {ex.FileName}");
            result = null;
            return false;
        }
    }
}
