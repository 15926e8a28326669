using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using SipTrunk.Sip.Syntax;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Sip.Headers;

/// <summary>
/// One via-parm: <c>sent-protocol LWS sent-by *( SEMI via-params )</c> (RFC 3261 §20.42, §25.1; <c>rport</c> per
/// RFC 3581; IPv6 per RFC 5118).
/// </summary>
public sealed class ViaHeader
{
    /// <summary>The branch prefix that marks an RFC 3261 transaction id (RFC 3261 §8.1.1.7).</summary>
    public const string MagicCookie = "z9hG4bK";

    private ViaHeader(string protocolName, string protocolVersion, string transport, string host, UriHostKind hostKind, int? port, HeaderParameters parameters, int? rport, int? ttl)
    {
        ProtocolName = protocolName;
        ProtocolVersion = protocolVersion;
        Transport = transport;
        Host = host;
        HostKind = hostKind;
        Port = port;
        Parameters = parameters;
        Rport = rport;
        Ttl = ttl;
    }

    /// <summary>The protocol name, normally <c>SIP</c>.</summary>
    public string ProtocolName { get; }

    /// <summary>The protocol version, normally <c>2.0</c>.</summary>
    public string ProtocolVersion { get; }

    /// <summary>The transport, upper-cased: UDP, TCP, TLS, SCTP, WS, WSS or another token.</summary>
    public string Transport { get; }

    /// <summary>The sent-by host; an IPv6 address keeps its brackets.</summary>
    public string Host { get; }

    /// <summary>What kind of host <see cref="Host"/> is.</summary>
    public UriHostKind HostKind { get; }

    /// <summary>The sent-by port, or <see langword="null"/> when absent.</summary>
    public int? Port { get; }

    /// <summary>All via-params, in order.</summary>
    public HeaderParameters Parameters { get; }

    /// <summary>The <c>branch</c> parameter.</summary>
    public string? Branch => Parameters["branch"];

    /// <summary>Whether <see cref="Branch"/> starts with the RFC 3261 magic cookie <c>z9hG4bK</c>.</summary>
    public bool HasMagicCookie => Branch?.StartsWith(MagicCookie, StringComparison.Ordinal) == true;

    /// <summary>The <c>received</c> parameter: an IPv4 or IPv6 address (bracketed or not, RFC 5118 §4.5).</summary>
    public string? Received => Parameters["received"];

    /// <summary>Whether <c>rport</c> is present, with or without a value (RFC 3581 §3).</summary>
    public bool HasRport => Parameters.Contains("rport");

    /// <summary>The <c>rport</c> value, or <see langword="null"/> when absent or present as a flag.</summary>
    public int? Rport { get; }

    /// <summary>The <c>maddr</c> parameter.</summary>
    public string? Maddr => Parameters["maddr"];

    /// <summary>The <c>ttl</c> parameter, 0 to 255.</summary>
    public int? Ttl { get; }

    /// <summary>Creates a Via value such as <c>SIP/2.0/TLS host:port;branch=…</c>. A bare IPv6 address is bracketed.</summary>
    /// <exception cref="ArgumentException">A component is invalid.</exception>
    public static ViaHeader Create(string transport, string host, int? port, string branch)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(host);
        if (!SipLexer.IsToken(transport))
        {
            throw new ArgumentException("A transport must be a token.", nameof(transport));
        }

        host = HostSyntax.BracketIPv6(host);

        if (!HostSyntax.TryParseHost(host, out var kind, out var error))
        {
            throw new ArgumentException(error, nameof(host));
        }

        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A port must be 0 to 65535.");
        }

        return new ViaHeader("SIP", "2.0", transport.ToUpperInvariant(), host, kind, port, HeaderParameters.Empty, null, null).WithBranch(branch);
    }

    /// <summary>Parses one via-parm (the core has split the list).</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out ViaHeader? result, out string? error)
    {
        result = null;
        var i = 0;

        // sent-protocol = protocol-name SLASH protocol-version SLASH transport, SLASH = SWS "/" SWS
        if (!TryReadToken(value, ref i, "protocol name", out var name, out error)
            || !TryReadSlash(value, ref i, out error)
            || !TryReadToken(value, ref i, "protocol version", out var version, out error)
            || !TryReadSlash(value, ref i, out error)
            || !TryReadToken(value, ref i, "transport", out var transport, out error))
        {
            return false;
        }

        var hostStart = SipLexer.SkipLws(value, i);
        if (hostStart == i)
        {
            error = "expected whitespace before sent-by";
            return false;
        }

        i = hostStart;
        if (i < value.Length && value[i] == '[')
        {
            var close = value[i..].IndexOf(']');
            i = close < 0 ? value.Length : i + close + 1;
        }
        else
        {
            while (i < value.Length && (SipLexer.IsAlphaNumeric(value[i]) || value[i] is '-' or '.' or ':' or '_'))
            {
                // A colon here would be an unbracketed IPv6 address or the port; the port is split off below.
                if (value[i] == ':')
                {
                    break;
                }

                i++;
            }
        }

        var hostText = value[hostStart..i];
        if (!HostSyntax.TryParseHost(hostText, out var hostKind, out error))
        {
            error = "Via sent-by: " + error;
            return false;
        }

        int? port = null;
        var afterHost = SipLexer.SkipLws(value, i);
        if (afterHost < value.Length && value[afterHost] == ':')
        {
            // COLON = SWS ":" SWS
            var portStart = SipLexer.SkipLws(value, afterHost + 1);
            var portEnd = portStart;
            while (portEnd < value.Length && char.IsAsciiDigit(value[portEnd]))
            {
                portEnd++;
            }

            if (!HostSyntax.TryParsePort(value[portStart..portEnd], out var parsedPort, out error))
            {
                error = "Via sent-by: " + error;
                return false;
            }

            port = parsedPort;
            i = portEnd;
        }

        if (!HeaderParameters.TryParseList(value, ref i, ';', out var parameters, out error))
        {
            return false;
        }

        i = SipLexer.SkipLws(value, i);
        if (i < value.Length)
        {
            error = $"unexpected character {SipLexer.Describe(value[i])} in Via";
            return false;
        }

        return TryCreate(name, version, transport.ToUpperInvariant(), hostText.ToString(), hostKind, port, parameters, out result, out error);
    }

    /// <summary>Returns a copy with <c>received</c> set (RFC 3261 §18.2.1).</summary>
    /// <exception cref="ArgumentException">The value is not an IP address.</exception>
    public ViaHeader WithReceived(string received) => WithParameter("received", received);

    /// <summary>Returns a copy with <c>rport</c> set to the source port (RFC 3581 §4).</summary>
    public ViaHeader WithRport(int port) => WithParameter("rport", port.ToString(CultureInfo.InvariantCulture));

    /// <summary>Returns a copy with another <c>branch</c>.</summary>
    public ViaHeader WithBranch(string branch) => WithParameter("branch", branch);

    /// <summary>Returns a copy with a parameter set (<see langword="null"/> for a flag); known parameters are validated.</summary>
    /// <exception cref="ArgumentException">The parameter is invalid.</exception>
    public ViaHeader WithParameter(string name, string? value)
    {
        var parameters = Parameters.With(name, value);
        return TryCreate(ProtocolName, ProtocolVersion, Transport, Host, HostKind, Port, parameters, out var via, out var error)
            ? via
            : throw new ArgumentException(error, nameof(value));
    }

    /// <summary>Returns a copy without the named parameter.</summary>
    public ViaHeader WithoutParameter(string name)
    {
        var parameters = Parameters.Without(name);
        TryCreate(ProtocolName, ProtocolVersion, Transport, Host, HostKind, Port, parameters, out var via, out _);
        return via!;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var builder = new StringBuilder(96);
        builder.Append(ProtocolName).Append('/').Append(ProtocolVersion).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port is { } port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    private static bool TryCreate(string name, string version, string transport, string host, UriHostKind hostKind, int? port, HeaderParameters parameters, [NotNullWhen(true)] out ViaHeader? result, out string? error)
    {
        result = null;
        int? rport = null;
        int? ttl = null;
        foreach (var parameter in parameters)
        {
            var value = parameter.Value;
            switch (parameter.Name.ToUpperInvariant())
            {
                case "BRANCH" when value is null || !SipLexer.IsToken(value):
                    error = "invalid branch parameter";
                    return false;
                case "RECEIVED" when value is null || !HostSyntax.IsIPAddress(value):
                    error = "invalid received parameter";
                    return false;
                case "MADDR" when value is null || !HostSyntax.TryParseHost(value, out _, out _):
                    error = "invalid maddr parameter";
                    return false;
                case "RPORT" when value is not null:
                    if (!HostSyntax.TryParsePort(value, out var parsedPort, out _))
                    {
                        error = "invalid rport parameter";
                        return false;
                    }

                    rport = parsedPort;
                    break;
                case "TTL":
                    if (value is null || value.Length is 0 or > 3 || value.AsSpan().ContainsAnyExceptInRange('0', '9') || int.Parse(value, CultureInfo.InvariantCulture) > 255)
                    {
                        error = "invalid ttl parameter";
                        return false;
                    }

                    ttl = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
            }
        }

        result = new ViaHeader(name, version, transport, host, hostKind, port, parameters, rport, ttl);
        error = null;
        return true;
    }

    private static bool TryReadToken(ReadOnlySpan<char> text, ref int position, string what, out string token, out string? error)
    {
        var start = SipLexer.SkipLws(text, position);
        var end = start;
        while (end < text.Length && SipLexer.IsTokenChar(text[end]))
        {
            end++;
        }

        if (end == start)
        {
            token = string.Empty;
            error = $"missing Via {what}";
            return false;
        }

        token = text[start..end].ToString();
        position = end;
        error = null;
        return true;
    }

    private static bool TryReadSlash(ReadOnlySpan<char> text, ref int position, out string? error)
    {
        var i = SipLexer.SkipLws(text, position);
        if (i >= text.Length || text[i] != '/')
        {
            error = "expected '/' in Via sent-protocol";
            return false;
        }

        position = i + 1;
        error = null;
        return true;
    }
}
