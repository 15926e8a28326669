using SipTrunk.Cli;
using SipTrunk.Core.Transport;

// Before any cryptography: OpenSSL reads its configuration once, when it initialises.
OpenSslDefaults.Apply();

return await SipTrunkCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
