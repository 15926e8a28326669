using System.CommandLine;

namespace SipTrunk.Cli;

/// <summary>`siptrunk certs` (CONTRACT.md §2).</summary>
internal static class CertsCommand
{
    public static Command Build(Option<string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var command = new Command("certs", "Not implemented yet.");
        command.SetAction(_ => SipTrunkCli.Success);
        return command;
    }
}
