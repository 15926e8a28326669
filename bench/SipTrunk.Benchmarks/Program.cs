using BenchmarkDotNet.Running;
using SipTrunk.Benchmarks.CdrStore;
using SipTrunk.Benchmarks.RelayLoad;

if (RelayLoadCommand.Handles(args))
{
    return await RelayLoadCommand.RunAsync(args);
}

if (CdrStoreCommand.Handles(args))
{
    return await CdrStoreCommand.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
