using System.CommandLine;

namespace SipTrunk.Cli;

/// <summary>
/// Builds the <c>siptrunk</c> command tree (CONTRACT.md §2) and maps outcomes to exit codes:
/// 0 success, 1 user error (one-line reason on stderr), 2 usage error.
/// </summary>
internal static class SipTrunkCli
{
    public const int Success = 0;
    public const int UserError = 1;
    public const int UsageError = 2;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(BuildRoot(), args, stdout, stderr);

    /// <summary>Runs <paramref name="root"/> (a tree built with test doubles, in tests) on <paramref name="args"/>.</summary>
    internal static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parseResult = root.Parse(args, new ParserConfiguration());
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            return UsageError;
        }

        // Our own handler below turns CliUserException into one line on stderr; anything else is a bug and
        // should surface with its stack trace.
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parseResult.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (CliUserException ex)
        {
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return UserError;
        }
    }

    /// <param name="callRecordStores">Opens the call-record store for <c>calls</c>; the configured provider by default.</param>
    /// <param name="time">The clock of <c>calls --since 1h</c>; the system clock by default.</param>
    internal static RootCommand BuildRoot(Func<Configuration.StorageOptions, Core.Cdr.ICallRecordStore>? callRecordStores = null, TimeProvider? time = null)
    {
        var config = CommonOptions.Config();
        var root = new RootCommand("SipTrunk: a SIP-over-TLS trunking proxy with SRTP media relay.")
        {
            // A bare `siptrunk --SipTrunk:Key=value` runs the proxy with that override; run's action rejects other tokens.
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Options.Add(config);
        var run = RunCommand.Build(config);
        root.Subcommands.Add(run);
        root.Subcommands.Add(CertsCommand.Build(config));
        root.Subcommands.Add(ConfigCommand.Build(config));
        root.Subcommands.Add(PasswdCommand.Build(config));
        root.Subcommands.Add(RegistrationsCommand.Build(config));
        root.Subcommands.Add(CallsCommand.Build(config, callRecordStores, time));
        root.Subcommands.Add(HealthCommand.Build(config));

        // `run` is the default command (CONTRACT.md §2): a bare `siptrunk` starts the proxy.
        root.Action = run.Action;
        return root;
    }
}
