namespace SipTrunk.Benchmarks.RelayLoad;

/// <summary>The <c>relay-load</c> and <c>relay-server</c> subcommands of the benchmark program (bench/relay-load.sh).</summary>
internal static class RelayLoadCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "relay-load" or "relay-server";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = RelayLoadOptions.Parse(args.AsSpan(1));
        if (args[0] == "relay-server")
        {
            return await RelayServer.RunAsync(options);
        }

        using var generator = new RelayLoadGenerator(options);
        return await generator.RunAsync();
    }
}
