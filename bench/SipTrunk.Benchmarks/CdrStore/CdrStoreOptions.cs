using System.Globalization;

namespace SipTrunk.Benchmarks.CdrStore;

/// <summary>Command-line settings of <c>cdr-store</c> (bench/cdr-store.sh passes them).</summary>
internal sealed record CdrStoreOptions
{
    /// <summary><c>sqlite</c> or <c>postgresql</c>.</summary>
    public string Store { get; init; } = "sqlite";

    public string Connection { get; init; } = string.Empty;

    /// <summary>Records per InsertAsync, one row of output each.</summary>
    public IReadOnlyList<int> Batches { get; init; } = [1, 10, 100];

    public double Seconds { get; init; } = 5;

    public double Warmup { get; init; } = 1;

    /// <summary>Concurrent writers (the proxy has one; several model several nodes on one PostgreSQL).</summary>
    public int Writers { get; init; } = 1;

    public static CdrStoreOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new CdrStoreOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--store" when value is "sqlite" or "postgresql" => options with { Store = value },
                "--connection" => options with { Connection = value },
                "--batches" => options with { Batches = [.. value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(b => Bounded(b, 1, 10_000, "--batches"))] },
                "--seconds" => options with { Seconds = Bounded(value, 1, 600, "--seconds") },
                "--warmup" => options with { Warmup = Bounded(value, 0, 60, "--warmup") },
                "--writers" => options with { Writers = Bounded(value, 1, 64, "--writers") },
                _ => throw new ArgumentException($"unknown argument or value: {args[i]} {value}"),
            };
            i++;
        }

        return string.IsNullOrEmpty(options.Connection) ? throw new ArgumentException("--connection is required") : options;
    }

    private static int Bounded(string text, int min, int max, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} takes whole numbers {min}-{max}");
}
