using SipTrunk.Cli;

return await SipTrunkCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
