using BenchmarkDotNet.Running;
using SipTrunk.Benchmarks.RelayLoad;

if (RelayLoadCommand.Handles(args))
{
    return await RelayLoadCommand.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
