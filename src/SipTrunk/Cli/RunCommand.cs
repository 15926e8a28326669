using System.CommandLine;

namespace SipTrunk.Cli;

/// <summary>`siptrunk run` (CONTRACT.md §2).</summary>
internal static class RunCommand
{
    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var command = new Command("run", "Not implemented yet.");
        command.SetAction(_ => SipTrunkCli.Success);
        return command;
    }
}
