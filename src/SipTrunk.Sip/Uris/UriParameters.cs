using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace SipTrunk.Sip.Uris;

/// <summary>
/// An immutable, ordered list of URI parameters or URI headers with case-insensitive names
/// (RFC 3261 §19.1.4). Values are unescaped; a flag parameter such as <c>lr</c> has a <see langword="null"/> value.
/// </summary>
public sealed class UriParameters : IReadOnlyList<KeyValuePair<string, string?>>
{
    private readonly KeyValuePair<string, string?>[] _items;

    private UriParameters(KeyValuePair<string, string?>[] items) => _items = items;

    /// <summary>The empty list.</summary>
    public static UriParameters Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public KeyValuePair<string, string?> this[int index] => _items[index];

    /// <summary>The value of <paramref name="name"/>, or <see langword="null"/> when absent or a flag.</summary>
    public string? this[string name] => TryGetValue(name, out var value) ? value : null;

    /// <summary>Looks up a parameter by case-insensitive name.</summary>
    /// <returns><see langword="true"/> if present (the value is <see langword="null"/> for a flag).</returns>
    public bool TryGetValue(string name, out string? value)
    {
        var index = IndexOf(name);
        value = index >= 0 ? _items[index].Value : null;
        return index >= 0;
    }

    /// <summary>Returns whether a parameter named <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Returns a copy with <paramref name="name"/> set to <paramref name="value"/>, in place if it exists, else appended.</summary>
    public UriParameters With(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var index = IndexOf(name);
        KeyValuePair<string, string?>[] items;
        if (index >= 0)
        {
            items = (KeyValuePair<string, string?>[])_items.Clone();
            items[index] = new(items[index].Key, value);
        }
        else
        {
            items = [.. _items, new(name, value)];
        }

        return new UriParameters(items);
    }

    /// <summary>Returns a copy without <paramref name="name"/>.</summary>
    public UriParameters Without(string name)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            return this;
        }

        return _items.Length == 1 ? Empty : new UriParameters([.. _items.AsSpan(0, index), .. _items.AsSpan(index + 1)]);
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string?>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static UriParameters FromList(List<KeyValuePair<string, string?>> items) => items.Count == 0 ? Empty : new UriParameters([.. items]);

    internal static bool TryAdd(List<KeyValuePair<string, string?>> items, string name, string? value, [NotNullWhen(false)] out string? error)
    {
        foreach (var item in items)
        {
            if (string.Equals(item.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                error = $"duplicate parameter '{name}'";
                return false;
            }
        }

        items.Add(new(name, value));
        error = null;
        return true;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _items.Length; i++)
        {
            if (string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
