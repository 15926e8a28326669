using System.Collections.Concurrent;

namespace SipTrunk.Core.Diagnostics;

/// <summary>A monotonically increasing counter with one label (a Prometheus counter family), safe from any thread.</summary>
public sealed class LabeledCounter
{
    private readonly ConcurrentDictionary<string, StrongBox> _values = new(StringComparer.Ordinal);

    /// <summary>Creates a counter family.</summary>
    public LabeledCounter(string name, string labelName, string help)
    {
        Name = name;
        LabelName = labelName;
        Help = help;
    }

    /// <summary>The metric name, e.g. <c>siptrunk_tls_handshake_failures_total</c>.</summary>
    public string Name { get; }

    /// <summary>The label's name, e.g. <c>reason</c>.</summary>
    public string LabelName { get; }

    /// <summary>The metric's help text.</summary>
    public string Help { get; }

    /// <summary>Adds one to the series with this label value.</summary>
    public void Increment(string labelValue) => Interlocked.Increment(ref _values.GetOrAdd(labelValue, static _ => new StrongBox()).Value);

    /// <summary>Adds <paramref name="amount"/> (not negative) to the series with this label value.</summary>
    public void Add(string labelValue, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref _values.GetOrAdd(labelValue, static _ => new StrongBox()).Value, amount);
    }

    /// <summary>The current value of one series (0 when never incremented).</summary>
    public long Get(string labelValue) => _values.TryGetValue(labelValue, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Every series and its value, for exporters.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Snapshot() =>
        [.. _values.Select(p => new KeyValuePair<string, long>(p.Key, Interlocked.Read(ref p.Value.Value))).OrderBy(p => p.Key, StringComparer.Ordinal)];

    private sealed class StrongBox
    {
        public long Value;
    }
}
