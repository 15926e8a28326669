using System.Collections;
using System.Diagnostics.CodeAnalysis;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Headers;

/// <summary>
/// A comma-separated token list such as Supported, Require, Proxy-Require, Unsupported, Allow or Allow-Events
/// (RFC 3261 §20, RFC 6665 §8.2.2). Empty elements are skipped as RFC 7230 §7 recommends.
/// </summary>
public sealed class TokenList : IReadOnlyList<string>
{
    private readonly string[] _tokens;

    private TokenList(string[] tokens) => _tokens = tokens;

    /// <summary>The empty list.</summary>
    public static TokenList Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _tokens.Length;

    /// <inheritdoc/>
    public string this[int index] => _tokens[index];

    /// <summary>Creates a list from tokens.</summary>
    /// <exception cref="ArgumentException">An element is not a token.</exception>
    public static TokenList Create(params IEnumerable<string> tokens)
    {
        string[] items = [.. tokens];
        foreach (var token in items)
        {
            if (!SipLexer.IsToken(token))
            {
                throw new ArgumentException($"'{token}' is not a token.", nameof(tokens));
            }
        }

        return items.Length == 0 ? Empty : new TokenList(items);
    }

    /// <summary>Parses a value, or a whole header line's value, that may hold several comma-separated tokens.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out TokenList? result, out string? error)
    {
        result = null;
        var tokens = new List<string>();
        var i = 0;
        while (true)
        {
            i = SipLexer.SkipLws(value, i);
            var start = i;
            while (i < value.Length && SipLexer.IsTokenChar(value[i]))
            {
                i++;
            }

            if (i > start)
            {
                tokens.Add(value[start..i].ToString());
            }

            i = SipLexer.SkipLws(value, i);
            if (i >= value.Length)
            {
                break;
            }

            if (value[i] != ',')
            {
                error = $"invalid character {SipLexer.Describe(value[i])} in token list";
                return false;
            }

            i++;
        }

        result = tokens.Count == 0 ? Empty : new TokenList([.. tokens]);
        error = null;
        return true;
    }

    /// <summary>Returns whether the list holds <paramref name="token"/>, compared case-insensitively.</summary>
    public bool Contains(string token)
    {
        foreach (var item in _tokens)
        {
            if (string.Equals(item, token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns a copy with <paramref name="token"/> appended unless already present.</summary>
    public TokenList With(string token) => Contains(token) ? this : Create([.. _tokens, token]);

    /// <summary>Returns a copy without <paramref name="token"/>.</summary>
    public TokenList Without(string token) =>
        Contains(token) ? Create(_tokens.Where(t => !string.Equals(t, token, StringComparison.OrdinalIgnoreCase))) : this;

    /// <summary>The wire form, tokens separated by <c>", "</c>.</summary>
    public override string ToString() => string.Join(", ", _tokens);

    /// <inheritdoc/>
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_tokens).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
