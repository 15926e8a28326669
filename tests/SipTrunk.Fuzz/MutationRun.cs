using System.Diagnostics;
using SipTrunk.Testing.Fuzz;

namespace SipTrunk.Fuzz;

/// <summary>
/// Uninstrumented in-process fuzzing: the seeded <see cref="SipMutator"/> applied to the seed corpus (and to its own
/// outputs, a few generations deep) for a bounded time or count. Coverage-blind, so weaker than AFL++, but it needs
/// nothing beyond .NET, reproduces exactly from its seed, and writes every crashing input to a file for replay.
/// </summary>
internal static class MutationRun
{
    public static int Run(SharpFuzz.ReadOnlySpanAction target, IReadOnlyList<byte[]> seeds, TimeSpan duration, long maxInputs, int seed, string crashDirectory)
    {
        var mutator = new SipMutator(seed);
        var random = new Random(seed);
        var pool = new List<byte[]>(seeds);
        var started = Stopwatch.GetTimestamp();
        long executions = 0;
        var crashes = 0;
        while (executions < maxInputs && Stopwatch.GetElapsedTime(started) < duration)
        {
            var parent = pool[random.Next(pool.Count)];
            var input = mutator.Mutate(parent, out _);
            executions++;
            try
            {
                target(input);
            }
            catch (Exception ex)
            {
                crashes++;
                Directory.CreateDirectory(crashDirectory);
                var path = Path.Combine(crashDirectory, $"crash-{seed}-{executions}.bin");
                File.WriteAllBytes(path, input);
                Console.Error.WriteLine($"CRASH {path}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }

            // Keep some offspring so damage accumulates, but bound the pool so seeds stay well represented.
            if (pool.Count < seeds.Count * 4 && input.Length < 70_000 && random.Next(8) == 0)
            {
                pool.Add(input);
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"mutation run: {executions} execs in {seconds:F1} s ({executions / Math.Max(seconds, 0.001):F0}/s), {crashes} crashes, seed {seed}");
        return crashes == 0 ? 0 : 1;
    }
}
