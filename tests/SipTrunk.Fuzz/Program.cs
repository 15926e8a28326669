using System.Globalization;

namespace SipTrunk.Fuzz;

/// <summary>
/// <c>SipTrunk.Fuzz afl sip|sdp</c>: the AFL++ entry point (SharpFuzz, persistent in-process loop; run under afl-fuzz on
/// an instrumented build). <c>libfuzzer sip|sdp</c>: the libFuzzer entry point (needs a libfuzzer-dotnet driver).
/// <c>replay sip|sdp PATH...</c>: runs files or directories once each (crash triage, corpus check).
/// <c>mutate sip|sdp CORPUS_DIR SECONDS [SEED] [CRASH_DIR]</c>: bounded uninstrumented mutation run.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 2 || FuzzTarget.Find(args[1]) is not { } target)
        {
            Console.Error.WriteLine("usage: SipTrunk.Fuzz afl|libfuzzer|replay|mutate sip|sdp [...]");
            return 2;
        }

        switch (args[0])
        {
            case "afl":
                // AFL++ hands each input over stdin or a file; the stream is read whole so the target sees one span.
                SharpFuzz.Fuzzer.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    target(copy.GetBuffer().AsSpan(0, (int)copy.Length));
                });
                return 0;
            case "libfuzzer":
                SharpFuzz.Fuzzer.LibFuzzer.Run(target);
                return 0;
            case "replay":
                return Replay(target, args[2..]);
            case "mutate" when args.Length >= 4:
                var seed = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
                var crashes = args.Length > 5 ? args[5] : Path.Combine(Path.GetTempPath(), "siptrunk-fuzz-crashes");
                var seconds = double.Parse(args[3], CultureInfo.InvariantCulture);
                return MutationRun.Run(target, ReadInputs(args[2]), TimeSpan.FromSeconds(seconds), long.MaxValue, seed, crashes);
            default:
                Console.Error.WriteLine($"unknown mode '{args[0]}'");
                return 2;
        }
    }

    private static int Replay(SharpFuzz.ReadOnlySpanAction target, string[] paths)
    {
        var failures = 0;
        var count = 0;
        foreach (var path in paths)
        {
            foreach (var file in Directory.Exists(path) ? [.. Directory.GetFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : (string[])[path])
            {
                count++;
                try
                {
                    target(File.ReadAllBytes(file));
                }
                catch (Exception ex)
                {
                    failures++;
                    Console.Error.WriteLine($"CRASH {file}: {ex}");
                }
            }
        }

        Console.WriteLine($"replay: {count} inputs, {failures} crashes");
        return failures == 0 ? 0 : 1;
    }

    private static List<byte[]> ReadInputs(string directory) =>
        [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
}
