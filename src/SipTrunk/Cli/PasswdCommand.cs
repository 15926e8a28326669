using System.CommandLine;

namespace SipTrunk.Cli;

/// <summary>`siptrunk passwd` (CONTRACT.md §2).</summary>
internal static class PasswdCommand
{
    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var command = new Command("passwd", "Not implemented yet.");
        command.SetAction(_ => SipTrunkCli.Success);
        return command;
    }
}
