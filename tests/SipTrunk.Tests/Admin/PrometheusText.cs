using System.Globalization;
using System.Text;

namespace SipTrunk.Tests.Admin;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4 for tests: every sample must follow its family's HELP and
/// TYPE lines, names and labels must be well formed, label values are unescaped. Anything else fails the test.
/// </summary>
internal sealed class PrometheusText
{
    private PrometheusText(List<PrometheusSample> samples, Dictionary<string, (string Type, string Help)> families)
    {
        Samples = samples;
        Families = families;
    }

    public List<PrometheusSample> Samples { get; }

    public Dictionary<string, (string Type, string Help)> Families { get; }

    public static PrometheusText Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new List<PrometheusSample>();
        var families = new Dictionary<string, (string Type, string Help)>(StringComparer.Ordinal);
        string? helpFor = null;
        string? help = null;
        string? current = null;
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                helpFor = rest[..space];
                help = UnescapeHelp(rest[(space + 1)..]);
                AssertName(helpFor);
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                Assert.Equal(2, parts.Length);
                Assert.Equal(helpFor, parts[0]);
                Assert.Contains(parts[1], (string[])["counter", "gauge"]);
                Assert.True(families.TryAdd(parts[0], (parts[1], help!)), $"family {parts[0]} appears twice");
                current = parts[0];
            }
            else
            {
                var sample = ParseSample(line);
                Assert.True(sample.Name == current, $"sample {sample.Name} outside its family ({current})");
                samples.Add(sample);
            }
        }

        return new PrometheusText(samples, families);
    }

    /// <summary>The value of the one series with exactly these labels.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = Samples.Where(s => s.Name == name && s.Labels.Count == labels.Length && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
        Assert.True(matches.Count == 1, $"{name}{{{string.Join(",", labels.Select(l => $"{l.Name}={l.Value}"))}}}: {matches.Count} series");
        return matches[0].Value;
    }

    private static PrometheusSample ParseSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        string name;
        int position;
        if (brace < 0)
        {
            name = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            position = name.Length;
        }
        else
        {
            name = line[..brace];
            position = brace + 1;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals];
                AssertName(label);
                Assert.Equal('"', line[equals + 1]);
                var value = new StringBuilder();
                position = equals + 2;
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] switch { 'n' => '\n', '\\' => '\\', '"' => '"', var c => throw new FormatException($"bad escape \\{c}") });
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                Assert.True(labels.TryAdd(label, value.ToString()), $"label {label} twice");
                position++;
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        AssertName(name);
        Assert.Equal(' ', line[position]);
        var number = line[(position + 1)..];
        var parsed = number switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, parsed);
    }

    // HELP text escapes only backslash and line feed.
    private static string UnescapeHelp(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                result.Append(text[i] switch { 'n' => '\n', '\\' => '\\', var c => throw new FormatException($"bad escape \\{c}") });
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    private static void AssertName(string name) =>
        Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", name);
}
