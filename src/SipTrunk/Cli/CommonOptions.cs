using System.CommandLine;

namespace SipTrunk.Cli;

/// <summary>Options every command takes.</summary>
internal static class CommonOptions
{
    public const string DefaultConfigPath = "config/siptrunk.json";

    /// <summary><c>--config PATH</c>, recursive so that it may follow any subcommand.</summary>
    public static Option<string> Config() => new("--config")
    {
        Description = "Path to the configuration file.",
        DefaultValueFactory = _ => DefaultConfigPath,
        Recursive = true,
    };
}
