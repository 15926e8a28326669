using System.CommandLine;

namespace SipTrunk.Cli;

/// <summary>`siptrunk config` (CONTRACT.md §2).</summary>
internal static class ConfigCommand
{
    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var command = new Command("config", "Not implemented yet.");
        command.SetAction(_ => SipTrunkCli.Success);
        return command;
    }
}
