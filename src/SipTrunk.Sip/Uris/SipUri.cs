using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using SipTrunk.Sip.Syntax;

namespace SipTrunk.Sip.Uris;

/// <summary>
/// An immutable SIP or SIPS URI (RFC 3261 §19.1, §25.1; IPv6 references per RFC 5118).
/// Components are held unescaped; <see cref="ToString"/> re-escapes them, and equality follows §19.1.4.
/// </summary>
public sealed class SipUri : AbsoluteUri, IEquatable<SipUri>
{
    private SipUri(bool isSecure, string? user, string? password, string host, UriHostKind hostKind, int? port, UriParameters parameters, UriParameters headers)
    {
        IsSecure = isSecure;
        User = user;
        Password = password;
        Host = host;
        HostKind = hostKind;
        Port = port;
        Parameters = parameters;
        Headers = headers;
    }

    /// <inheritdoc/>
    public override string Scheme => IsSecure ? "sips" : "sip";

    /// <summary>Whether this is a <c>sips:</c> URI.</summary>
    public bool IsSecure { get; }

    /// <summary>The unescaped user part, or <see langword="null"/> when the URI has none.</summary>
    public string? User { get; }

    /// <summary>The unescaped password (deprecated by RFC 3261 §19.1.1 but still parsed).</summary>
    public string? Password { get; }

    /// <summary>The host as on the wire; an IPv6 address keeps its brackets, e.g. <c>[2001:db8::10]</c>.</summary>
    public string Host { get; }

    /// <summary>What kind of host <see cref="Host"/> is.</summary>
    public UriHostKind HostKind { get; }

    /// <summary>The explicit port, or <see langword="null"/> when absent (which is not the same as 5060, §19.1.4).</summary>
    public int? Port { get; }

    /// <summary>The uri-parameters, in order, unescaped.</summary>
    public UriParameters Parameters { get; }

    /// <summary>The headers component (<c>?name=value&amp;…</c>), unescaped.</summary>
    public UriParameters Headers { get; }

    /// <summary>The <c>transport</c> parameter.</summary>
    public string? Transport => Parameters["transport"];

    /// <summary>Whether the <c>lr</c> parameter is present (RFC 3261 §19.1.1, loose routing).</summary>
    public bool IsLooseRouting => Parameters.Contains("lr");

    /// <summary>The <c>maddr</c> parameter.</summary>
    public string? Maddr => Parameters["maddr"];

    /// <summary>The <c>user</c> parameter, e.g. <c>phone</c>.</summary>
    public string? UserParameter => Parameters["user"];

    /// <summary>The <c>method</c> parameter.</summary>
    public string? Method => Parameters["method"];

    /// <summary>Creates a URI from components. A bare IPv6 address is bracketed.</summary>
    /// <exception cref="ArgumentException">The host or port is invalid.</exception>
    public static SipUri Create(string host, int? port = null, string? user = null, bool secure = false)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = HostSyntax.BracketIPv6(host);
        if (!HostSyntax.TryParseHost(host, out var kind, out var error))
        {
            throw new ArgumentException(error, nameof(host));
        }

        ValidatePort(port);
        ValidateUser(user);
        return new SipUri(secure, user, null, host, kind, port, UriParameters.Empty, UriParameters.Empty);
    }

    /// <summary>Parses a SIP or SIPS URI or throws.</summary>
    /// <exception cref="FormatException">The text is not a valid SIP URI.</exception>
    public static new SipUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var uri, out var error) ? uri : throw new FormatException($"Invalid SIP URI: {error}");
    }

    /// <summary>Parses a SIP or SIPS URI.</summary>
    /// <param name="text">The URI with no surrounding white space.</param>
    /// <param name="uri">The parsed URI.</param>
    /// <param name="error">A short reason when the URI is invalid.</param>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out SipUri? uri, out string? error)
    {
        uri = null;
        if (text.Length > MaxLength)
        {
            error = "URI too long";
            return false;
        }

        bool secure;
        if (text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            secure = false;
            text = text[4..];
        }
        else if (text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            secure = true;
            text = text[5..];
        }
        else
        {
            error = "not a sip or sips URI";
            return false;
        }

        foreach (var c in text)
        {
            if (c is <= ' ' or >= '\u007F')
            {
                error = c is ' ' or '\t' or '\r' or '\n' ? "URI contains whitespace" : $"invalid character {SipLexer.Describe(c)} in URI";
                return false;
            }
        }

        string? user = null;
        string? password = null;

        // No component after userinfo may contain an unescaped "@", so the first one ends the userinfo
        // even when the user part itself contains ";" or "?" (RFC 3261 §19.1.3, RFC 4475 §3.1.1.6).
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = text[..at];
            var colon = userInfo.IndexOf(':');
            var userText = colon < 0 ? userInfo : userInfo[..colon];
            if (userText.IsEmpty)
            {
                error = "empty user part";
                return false;
            }

            if (!PercentEncoding.TryDecode(userText, UriCharacterSets.User, "user part", out var decodedUser, out error))
            {
                return false;
            }

            user = decodedUser;
            if (colon >= 0)
            {
                if (!PercentEncoding.TryDecode(userInfo[(colon + 1)..], UriCharacterSets.Password, "password", out var decodedPassword, out error))
                {
                    return false;
                }

                password = decodedPassword;
            }

            text = text[(at + 1)..];
        }

        var hostEnd = text.IndexOfAny(';', '?');
        var hostPort = hostEnd < 0 ? text : text[..hostEnd];
        if (hostPort.IsEmpty)
        {
            error = "missing host";
            return false;
        }

        if (!HostSyntax.TryParseHostPort(hostPort, out var host, out var hostKind, out var port, out error))
        {
            return false;
        }

        text = hostEnd < 0 ? [] : text[hostEnd..];
        var question = text.IndexOf('?');
        var paramText = question < 0 ? text : text[..question];
        var parameters = UriParameters.Empty;
        if (!paramText.IsEmpty && !TryParseParameters(paramText[1..], out parameters, out error))
        {
            return false;
        }

        var headers = UriParameters.Empty;
        if (question >= 0 && !TryParseHeaders(text[(question + 1)..], out headers, out error))
        {
            return false;
        }

        uri = new SipUri(secure, user, password, host, hostKind, port, parameters, headers);
        return true;
    }

    /// <summary>Returns a copy with another user part (unescaped); <see langword="null"/> removes it.</summary>
    public SipUri WithUser(string? user)
    {
        ValidateUser(user);
        return new SipUri(IsSecure, user, user is null ? null : Password, Host, HostKind, Port, Parameters, Headers);
    }

    /// <summary>Returns a copy with another host. A bare IPv6 address is bracketed.</summary>
    /// <exception cref="ArgumentException">The host is not a valid host name, IPv4 address or IPv6 address.</exception>
    public SipUri WithHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = HostSyntax.BracketIPv6(host);
        if (!HostSyntax.TryParseHost(host, out var kind, out var error))
        {
            throw new ArgumentException(error, nameof(host));
        }

        return new SipUri(IsSecure, User, Password, host, kind, Port, Parameters, Headers);
    }

    /// <summary>Returns a copy with another port; <see langword="null"/> removes it.</summary>
    public SipUri WithPort(int? port)
    {
        ValidatePort(port);
        return new SipUri(IsSecure, User, Password, Host, HostKind, port, Parameters, Headers);
    }

    /// <summary>Returns a copy with a parameter set (unescaped value; <see langword="null"/> for a flag).</summary>
    public SipUri WithParameter(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (value is { Length: 0 })
        {
            throw new ArgumentException("A URI parameter value cannot be empty; use null for a flag.", nameof(value));
        }

        return new SipUri(IsSecure, User, Password, Host, HostKind, Port, Parameters.With(name, value), Headers);
    }

    /// <summary>Returns a copy without the named parameter.</summary>
    public SipUri WithoutParameter(string name) =>
        new(IsSecure, User, Password, Host, HostKind, Port, Parameters.Without(name), Headers);

    /// <summary>Returns a copy with the <c>sip</c> (<paramref name="secure"/> false) or <c>sips</c> scheme.</summary>
    public SipUri WithScheme(bool secure) =>
        secure == IsSecure ? this : new SipUri(secure, User, Password, Host, HostKind, Port, Parameters, Headers);

    /// <summary>Returns a copy without the headers component (RFC 3261 §16.6 step 1 forbids them in a Request-URI).</summary>
    public SipUri WithoutHeaders() =>
        Headers.Count == 0 ? this : new SipUri(IsSecure, User, Password, Host, HostKind, Port, Parameters, UriParameters.Empty);

    /// <inheritdoc/>
    public override string ToString()
    {
        var builder = new StringBuilder(64);
        builder.Append(IsSecure ? "sips:" : "sip:");
        if (User is not null)
        {
            builder.Append(PercentEncoding.Encode(User, UriCharacterSets.User));
            if (Password is not null)
            {
                builder.Append(':').Append(PercentEncoding.Encode(Password, UriCharacterSets.Password));
            }

            builder.Append('@');
        }

        builder.Append(Host);
        if (Port is { } port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (name, value) in Parameters)
        {
            builder.Append(';').Append(PercentEncoding.Encode(name, UriCharacterSets.Param));
            if (value is not null)
            {
                builder.Append('=').Append(PercentEncoding.Encode(value, UriCharacterSets.Param));
            }
        }

        var separator = '?';
        foreach (var (name, value) in Headers)
        {
            builder.Append(separator).Append(PercentEncoding.Encode(name, UriCharacterSets.Header))
                .Append('=').Append(PercentEncoding.Encode(value ?? string.Empty, UriCharacterSets.Header));
            separator = '&';
        }

        return builder.ToString();
    }

    /// <summary>Compares two URIs by the rules of RFC 3261 §19.1.4.</summary>
    public bool Equals(SipUri? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        // Scheme, userinfo (case-sensitive after unescaping), host (case-insensitive) and port presence.
        if (IsSecure != other.IsSecure
            || !string.Equals(User, other.User, StringComparison.Ordinal)
            || !string.Equals(Password, other.Password, StringComparison.Ordinal)
            || !string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase)
            || Port != other.Port)
        {
            return false;
        }

        // user, ttl, method, maddr and transport must match, and be present in both or neither.
        foreach (var (name, value) in Parameters)
        {
            if (other.Parameters.TryGetValue(name, out var otherValue))
            {
                if (!ParameterValuesEqual(name, value, otherValue))
                {
                    return false;
                }
            }
            else if (IsComparedParameter(name))
            {
                return false;
            }
        }

        foreach (var (name, _) in other.Parameters)
        {
            if (IsComparedParameter(name) && !Parameters.Contains(name))
            {
                return false;
            }
        }

        // Every header component must be present in both and match.
        if (Headers.Count != other.Headers.Count)
        {
            return false;
        }

        foreach (var header in Headers)
        {
            // Compared as a multiset because header names may repeat and order does not matter.
            if (CountOf(Headers, header) != CountOf(other.Headers, header))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SipUri);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Only what must match in equal URIs: other parameters take part in equality only when present
        // in both, so they cannot contribute (§19.1.4 equality is not even transitive over them).
        var hash = new HashCode();
        hash.Add(IsSecure);
        hash.Add(User, StringComparer.Ordinal);
        hash.Add(Password, StringComparer.Ordinal);
        hash.Add(Host, StringComparer.OrdinalIgnoreCase);
        hash.Add(Port);
        hash.Add(Transport, StringComparer.OrdinalIgnoreCase);
        hash.Add(UserParameter, StringComparer.OrdinalIgnoreCase);
        hash.Add(Maddr, StringComparer.OrdinalIgnoreCase);
        hash.Add(Method, StringComparer.Ordinal);
        hash.Add(Headers.Count);
        return hash.ToHashCode();
    }

    private static int CountOf(UriParameters headers, KeyValuePair<string, string?> header)
    {
        var count = 0;
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, header.Key, StringComparison.OrdinalIgnoreCase) && string.Equals(value, header.Value, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsComparedParameter(string name) =>
        name.Equals("user", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ttl", StringComparison.OrdinalIgnoreCase)
        || name.Equals("method", StringComparison.OrdinalIgnoreCase)
        || name.Equals("maddr", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transport", StringComparison.OrdinalIgnoreCase);

    private static bool ParameterValuesEqual(string name, string? value, string? otherValue)
    {
        // transport, user and maddr values are tokens or hosts, compared case-insensitively; method is a
        // case-sensitive Method token; everything else is case-sensitive by the general rule of §19.1.4.
        var comparison = name.Equals("transport", StringComparison.OrdinalIgnoreCase)
            || name.Equals("user", StringComparison.OrdinalIgnoreCase)
            || name.Equals("maddr", StringComparison.OrdinalIgnoreCase)
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        return string.Equals(value, otherValue, comparison);
    }

    private static bool TryParseParameters(ReadOnlySpan<char> text, out UriParameters parameters, out string? error)
    {
        parameters = UriParameters.Empty;
        var items = new List<KeyValuePair<string, string?>>();
        foreach (var range in text.Split(';'))
        {
            var item = text[range];
            if (item.IsEmpty)
            {
                error = "empty URI parameter";
                return false;
            }

            var equals = item.IndexOf('=');
            var nameText = equals < 0 ? item : item[..equals];
            if (nameText.IsEmpty)
            {
                error = "empty URI parameter name";
                return false;
            }

            if (!PercentEncoding.TryDecode(nameText, UriCharacterSets.Param, "URI parameter", out var name, out error))
            {
                return false;
            }

            string? value = null;
            if (equals >= 0)
            {
                if (equals == item.Length - 1)
                {
                    error = $"empty value for URI parameter '{name}'";
                    return false;
                }

                if (!PercentEncoding.TryDecode(item[(equals + 1)..], UriCharacterSets.Param, "URI parameter", out var decoded, out error))
                {
                    return false;
                }

                value = decoded;
            }

            if (!ValidateKnownParameter(name, value, out error) || !UriParameters.TryAdd(items, name, value, out error))
            {
                return false;
            }
        }

        parameters = UriParameters.FromList(items);
        error = null;
        return true;
    }

    private static bool ValidateKnownParameter(string name, string? value, out string? error)
    {
        error = null;
        switch (name.ToUpperInvariant())
        {
            case "TRANSPORT" or "USER" or "METHOD" when value is null || !SipLexer.IsToken(value):
                error = $"invalid {name.ToLowerInvariant()} parameter";
                return false;
            case "TTL" when value is null || value.Length is 0 or > 3 || value.AsSpan().ContainsAnyExceptInRange('0', '9')
                || int.Parse(value, CultureInfo.InvariantCulture) > 255:
                error = "invalid ttl parameter";
                return false;
            case "MADDR" when value is null || !HostSyntax.TryParseHost(value, out _, out _):
                error = "invalid maddr parameter";
                return false;
            default:
                return true;
        }
    }

    private static bool TryParseHeaders(ReadOnlySpan<char> text, out UriParameters headers, out string? error)
    {
        headers = UriParameters.Empty;
        var items = new List<KeyValuePair<string, string?>>();
        foreach (var range in text.Split('&'))
        {
            var item = text[range];
            var equals = item.IndexOf('=');
            if (equals <= 0)
            {
                error = "URI header must be name=value";
                return false;
            }

            if (!PercentEncoding.TryDecode(item[..equals], UriCharacterSets.Header, "URI header", out var name, out error)
                || !PercentEncoding.TryDecode(item[(equals + 1)..], UriCharacterSets.Header, "URI header", out var value, out error))
            {
                return false;
            }

            // Headers may legitimately repeat (?Route=a&Route=b), so no duplicate check here.
            items.Add(new(name, value));
        }

        headers = UriParameters.FromList(items);
        error = null;
        return true;
    }

    private static void ValidatePort(int? port)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A port must be 0 to 65535.");
        }
    }

    private static void ValidateUser(string? user)
    {
        if (user is { Length: 0 })
        {
            throw new ArgumentException("A user part cannot be empty; use null for none.", nameof(user));
        }
    }
}
