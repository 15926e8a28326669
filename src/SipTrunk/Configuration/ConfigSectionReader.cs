using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SipTrunk.Configuration;

/// <summary>
/// Reads one configuration object (a section) into typed values, recording a <see cref="ConfigProblem"/> with the
/// full dotted key for every value that does not convert instead of throwing on the first one, and reporting every
/// child key nobody asked for as unknown (a typo would otherwise silently fall back to a default).
/// </summary>
internal sealed class ConfigSectionReader
{
    private readonly IConfigurationSection _section;
    private readonly List<ConfigProblem> _problems;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    public ConfigSectionReader(IConfigurationSection section, string path, List<ConfigProblem> problems)
    {
        _section = section;
        Path = path;
        _problems = problems;
    }

    /// <summary>The display path of this object: empty at the root, <c>Carriers[0]</c>, <c>Tls</c>, …</summary>
    public string Path { get; }

    public string KeyOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public void AddProblem(string key, string reason) => _problems.Add(new ConfigProblem(KeyOf(key), reason));

    /// <summary>A string that keeps an explicit empty value (so the validator can reject it); absent or null → <paramref name="fallback"/>.</summary>
    public string String(string key, string fallback)
    {
        var section = Scalar(key);
        return section?.Value ?? fallback;
    }

    /// <summary>A string where absent, null and empty all mean <see langword="null"/>.</summary>
    public string? OptionalString(string key)
    {
        var value = Scalar(key)?.Value;
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A file path, made absolute relative to <paramref name="baseDirectory"/>; absent → <paramref name="fallback"/>.</summary>
    public string FilePath(string key, string fallback, string baseDirectory) =>
        ResolvePath(String(key, fallback), baseDirectory);

    public int Int(string key, int fallback)
    {
        var section = Scalar(key);
        if (section?.Value is not { } value)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
        {
            return result;
        }

        AddProblem(key, $"'{value}' is not an integer");
        return fallback;
    }

    public bool Bool(string key, bool fallback)
    {
        var section = Scalar(key);
        if (section?.Value is not { } value)
        {
            return fallback;
        }

        if (bool.TryParse(value, out var result))
        {
            return result;
        }

        AddProblem(key, $"'{value}' is not true or false");
        return fallback;
    }

    public TEnum Enum<TEnum>(string key, TEnum fallback)
        where TEnum : struct, Enum => OptionalEnum<TEnum>(key) ?? fallback;

    /// <summary>An enum by name, case-insensitively; numbers are refused so that <c>"Transport": 7</c> is not silently accepted.</summary>
    public TEnum? OptionalEnum<TEnum>(string key)
        where TEnum : struct, Enum
    {
        var value = Scalar(key)?.Value;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        foreach (var name in System.Enum.GetNames<TEnum>())
        {
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                return System.Enum.Parse<TEnum>(name);
            }
        }

        AddProblem(key, $"'{value}' is not one of {EnumNames<TEnum>()}");
        return null;
    }

    public IReadOnlyList<string> Strings(string key, IReadOnlyList<string> fallback) =>
        OptionalList(key, (element, _) => element.Value ?? "") ?? fallback;

    /// <summary>A list of strings where absent or null means <see langword="null"/> (an explicit <c>[]</c> is an empty list).</summary>
    public IReadOnlyList<string>? OptionalStrings(string key) => OptionalList(key, (element, _) => element.Value ?? "");

    public IReadOnlyList<int> Ints(string key, IReadOnlyList<int> fallback)
    {
        var list = OptionalList(key, (element, elementKey) =>
        {
            if (int.TryParse(element.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
            {
                return (int?)result;
            }

            _problems.Add(new ConfigProblem(elementKey, $"'{element.Value}' is not an integer"));
            return null;
        });
        return list is null ? fallback : [.. list.OfType<int>()];
    }

    /// <summary>A nested object; absent, null or <c>{}</c> → <paramref name="fallback"/>.</summary>
    public T Object<T>(string key, Func<ConfigSectionReader, T> bind, T fallback)
        where T : class => OptionalObject(key, bind) ?? fallback;

    public T? OptionalObject<T>(string key, Func<ConfigSectionReader, T> bind)
        where T : class
    {
        _known.Add(key);
        var section = _section.GetSection(key);
        if (!section.GetChildren().Any())
        {
            if (!string.IsNullOrEmpty(section.Value))
            {
                AddProblem(key, "expected an object");
            }

            return null;
        }

        return BindObject(section, KeyOf(key), bind);
    }

    /// <summary>A list of objects; absent or null → empty.</summary>
    public IReadOnlyList<T> Objects<T>(string key, Func<ConfigSectionReader, T> bind)
        where T : class =>
        OptionalList(key, (element, elementKey) =>
        {
            if (!element.GetChildren().Any())
            {
                _problems.Add(new ConfigProblem(elementKey, "expected an object"));
                return null;
            }

            return BindObject(element, elementKey, bind);
        })?.OfType<T>().ToArray() ?? [];

    /// <summary>Reports every child key that no reader method asked for.</summary>
    public void ReportUnknownKeys()
    {
        foreach (var child in _section.GetChildren())
        {
            if (!_known.Contains(child.Key))
            {
                AddProblem(child.Key, "unknown key");
            }
        }
    }

    public static string ResolvePath(string path, string baseDirectory) =>
        path.Length == 0 ? path : System.IO.Path.GetFullPath(path, baseDirectory);

    private T BindObject<T>(IConfigurationSection section, string path, Func<ConfigSectionReader, T> bind)
    {
        var reader = new ConfigSectionReader(section, path, _problems);
        var result = bind(reader);
        reader.ReportUnknownKeys();
        return result;
    }

    private List<T>? OptionalList<T>(string key, Func<IConfigurationSection, string, T> convert)
    {
        _known.Add(key);
        var section = _section.GetSection(key);
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            // JSON null or an absent key: no value at all; JSON [] leaves an empty string value.
            if (section.Value is null)
            {
                return null;
            }

            if (section.Value.Length > 0)
            {
                AddProblem(key, "expected an array");
            }

            return [];
        }

        var result = new List<T>(children.Count);
        foreach (var child in children)
        {
            var elementKey = $"{KeyOf(key)}[{child.Key}]";
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                AddProblem(key, "expected an array");
                return [];
            }

            if (child.GetChildren().Any() && typeof(T) == typeof(string))
            {
                _problems.Add(new ConfigProblem(elementKey, "expected a value, not an object or array"));
                continue;
            }

            result.Add(convert(child, elementKey));
        }

        return result;
    }

    private IConfigurationSection? Scalar(string key)
    {
        _known.Add(key);
        var section = _section.GetSection(key);
        if (section.GetChildren().Any())
        {
            AddProblem(key, "expected a value, not an object or array");
            return null;
        }

        return section.Value is null ? null : section;
    }

    private static string EnumNames<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));
}
