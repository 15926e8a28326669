using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Headers;

/// <summary>
/// An immutable, ordered list of header parameters with case-insensitive names (RFC 3261 §7.3.1).
/// Quoted values are held unquoted with <see cref="HeaderParameter.IsQuoted"/> set, so <see cref="ToString"/> round-trips.
/// </summary>
public sealed class HeaderParameters : IReadOnlyList<HeaderParameter>
{
    private static readonly System.Buffers.SearchValues<char> UnquotedValueChars = System.Buffers.SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~:[]/?@&$=#()^{}|");

    private readonly HeaderParameter[] _items;

    private HeaderParameters(HeaderParameter[] items) => _items = items;

    /// <summary>The empty list.</summary>
    public static HeaderParameters Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public HeaderParameter this[int index] => _items[index];

    /// <summary>The value of <paramref name="name"/>, or <see langword="null"/> when absent or a flag.</summary>
    public string? this[string name] => TryGetValue(name, out var value) ? value : null;

    /// <summary>Parses a whole <c>*( SEMI generic-param )</c> list, e.g. <c>;tag=abc;lr</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out HeaderParameters? parameters, out string? error)
    {
        var position = 0;
        if (!TryParseList(text, ref position, ';', out parameters, out error))
        {
            return false;
        }

        if (SipLexer.SkipLws(text, position) < text.Length)
        {
            parameters = null;
            error = $"unexpected character {SipLexer.Describe(text[SipLexer.SkipLws(text, position)])} in parameters";
            return false;
        }

        return true;
    }

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

    /// <summary>
    /// Returns a copy with <paramref name="name"/> set, in place if it exists, else appended. A value that is not
    /// a valid unquoted value is quoted.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a token or the value contains CR or LF.</exception>
    public HeaderParameters With(string name, string? value)
    {
        var quoted = value is not null && (value.Length == 0 || value.AsSpan().ContainsAnyExcept(UnquotedValueChars));
        return With(new HeaderParameter(name, value, quoted));
    }

    /// <summary>Returns a copy with <paramref name="parameter"/> set, in place if the name exists, else appended.</summary>
    /// <exception cref="ArgumentException">The name is not a token or the value cannot be written.</exception>
    public HeaderParameters With(HeaderParameter parameter)
    {
        if (!SipLexer.IsToken(parameter.Name))
        {
            throw new ArgumentException("A parameter name must be a token.", nameof(parameter));
        }

        if (parameter.Value is { } value && (parameter.IsQuoted
            ? !QuotedString.CanQuote(value)
            : value.Length == 0 || value.AsSpan().ContainsAnyExcept(UnquotedValueChars)))
        {
            throw new ArgumentException($"Invalid value for parameter '{parameter.Name}'.", nameof(parameter));
        }

        var index = IndexOf(parameter.Name);
        HeaderParameter[] items;
        if (index >= 0)
        {
            items = (HeaderParameter[])_items.Clone();
            items[index] = parameter with { Name = items[index].Name };
        }
        else
        {
            items = [.. _items, parameter];
        }

        return new HeaderParameters(items);
    }

    /// <summary>Returns a copy without <paramref name="name"/>.</summary>
    public HeaderParameters Without(string name)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            return this;
        }

        return _items.Length == 1 ? Empty : new HeaderParameters([.. _items.AsSpan(0, index), .. _items.AsSpan(index + 1)]);
    }

    /// <summary>The wire form, each parameter preceded by <c>;</c>.</summary>
    public override string ToString()
    {
        if (_items.Length == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    /// <inheritdoc/>
    public IEnumerator<HeaderParameter> GetEnumerator() => ((IEnumerable<HeaderParameter>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void AppendTo(StringBuilder builder)
    {
        foreach (var parameter in _items)
        {
            builder.Append(';').Append(parameter.Name);
            if (parameter.Value is { } value)
            {
                builder.Append('=').Append(parameter.IsQuoted ? QuotedString.Quote(value) : value);
            }
        }
    }

    internal static HeaderParameters FromList(List<HeaderParameter> items) => items.Count == 0 ? Empty : new HeaderParameters([.. items]);

    /// <summary>
    /// Parses parameters each preceded by <paramref name="separator"/> (with SWS around it) starting at
    /// <paramref name="position"/>; stops before the first character that is not a separator.
    /// </summary>
    internal static bool TryParseList(ReadOnlySpan<char> text, ref int position, char separator, [NotNullWhen(true)] out HeaderParameters? parameters, out string? error)
    {
        parameters = null;
        var items = new List<HeaderParameter>();
        while (true)
        {
            var next = SipLexer.SkipLws(text, position);
            if (next >= text.Length || text[next] != separator)
            {
                break;
            }

            next++;
            if (!ParameterListSyntax.TryParseParameter(text, ref next, out var name, out var value, out var quoted, out error))
            {
                return false;
            }

            if (!TryAdd(items, new HeaderParameter(name, value, quoted), out error))
            {
                return false;
            }

            position = next;
        }

        parameters = FromList(items);
        error = null;
        return true;
    }

    internal static bool TryAdd(List<HeaderParameter> items, HeaderParameter parameter, out string? error)
    {
        foreach (var item in items)
        {
            if (string.Equals(item.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
            {
                error = $"duplicate parameter '{parameter.Name}'";
                return false;
            }
        }

        items.Add(parameter);
        error = null;
        return true;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _items.Length; i++)
        {
            if (string.Equals(_items[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
