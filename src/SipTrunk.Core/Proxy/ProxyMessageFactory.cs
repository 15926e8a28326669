using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Core.Proxy;

/// <summary>
/// Builds what the proxy sends: forwarded requests (RFC 3261 §16.6), forwarded responses (§16.7 step 9) and its own
/// responses (§8.2.6), and recognises its own URIs (§16.4) and Vias (§16.3 step 4).
/// </summary>
public sealed class ProxyMessageFactory
{
    /// <summary>The URI parameter carrying the flow token in SipTrunk's Record-Route.</summary>
    public const string TokenParameter = "st";

    private readonly ProxySettings _settings;
    private readonly FlowTokenCodec _codec;

    /// <summary>Creates the factory.</summary>
    public ProxyMessageFactory(ProxySettings settings, FlowTokenCodec codec)
    {
        _settings = settings;
        _codec = codec;
    }

    /// <summary>The codec for flow tokens.</summary>
    public FlowTokenCodec Codec => _codec;

    /// <summary>A random tag for To headers of responses SipTrunk generates (RFC 3261 §19.3: ≥ 32 random bits).</summary>
    public static string NewTag() => RandomNumberGenerator.GetHexString(12, lowercase: true);

    /// <summary>
    /// A response of SipTrunk's own to <paramref name="request"/>, with optional extra headers and the
    /// <paramref name="server"/> product (<c>Sip:UserAgent</c>; null or empty: no Server header).
    /// </summary>
    public static byte[] CreateResponse(SipRequest request, int statusCode, string? reason, string? server, params ReadOnlySpan<(HeaderId Id, string Value)> extra)
    {
        ArgumentNullException.ThrowIfNull(request);
        var builder = SipResponses.Create(request, statusCode, reason, statusCode > 100 ? NewTag() : null);
        foreach (var (id, value) in extra)
        {
            builder.Add(id, value);
        }

        if (!string.IsNullOrEmpty(server))
        {
            builder.Add(HeaderId.Server, server);
        }

        return builder.ToArray();
    }

    /// <summary>The response forwarded upstream: the top Via (SipTrunk's) removed, everything else untouched.</summary>
    public static byte[] ForwardResponse(SipResponse response, ReadOnlyMemory<byte>? body = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var builder = SipMessageBuilder.From(response);
        builder.RemoveFirstValue(HeaderId.Via);
        ReplaceBody(builder, body);
        return builder.ToArray();
    }

    // A body rewritten by the media anchor replaces the original; an empty one removes the body and its type.
    private static void ReplaceBody(SipMessageBuilder builder, ReadOnlyMemory<byte>? body)
    {
        if (body is not { } replacement)
        {
            return;
        }

        builder.Body = replacement;
        if (replacement.IsEmpty)
        {
            builder.Remove(HeaderId.ContentType);
        }
    }

    /// <summary>
    /// The request forwarded to <paramref name="outbound"/> (RFC 3261 §16.6): Request-URI replaced when given, SipTrunk's
    /// Route values removed (loose routing, §16.4), Max-Forwards decremented (added as 70 when absent, §16.6 step 3), <c>received</c>/<c>rport</c>
    /// stamped on the sender's Via (§18.2.1, RFC 3581), Record-Route inserted when <paramref name="recordRoute"/> is set
    /// (two values when the two sides use different transports, RFC 5658), SipTrunk's Via on top, and optional extra
    /// headers (e.g. carrier credentials).
    /// </summary>
    public byte[] ForwardRequest(
        SipRequest request,
        SipFlow inbound,
        SipFlow outbound,
        string branch,
        string? requestUri,
        int popRoutes,
        FlowToken? recordRoute,
        ReadOnlyMemory<byte>? body = null,
        params ReadOnlySpan<(HeaderId Id, string Value)> extra)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(outbound);
        var builder = SipMessageBuilder.From(request);
        if (requestUri is not null)
        {
            builder.SetRequestUri(requestUri);
        }

        for (var i = 0; i < popRoutes; i++)
        {
            builder.RemoveFirstValue(HeaderId.Route);
        }

        var maxForwards = request.MaxForwards;
        builder.Set(HeaderId.MaxForwards, (maxForwards is { } m ? m - 1 : 70).ToString(CultureInfo.InvariantCulture));

        if (request.Via is { } via && StampReceived(via, inbound.RemoteEndPoint) is { } stamped)
        {
            builder.RemoveFirstValue(HeaderId.Via);
            builder.AddFirst(HeaderId.Via, stamped.ToString());
        }

        if (recordRoute is not null)
        {
            var token = _codec.Encode(recordRoute);
            // RFC 3261 §16.6 step 4: a SIPS Record-Route only when the request was SIPS; otherwise sip: with
            // transport=tls, which every client routes over TLS (libre-based phones refuse sips: routes outright).
            var secure = request.RequestUri is SipUri { IsSecure: true };
            // RFC 5658 double Record-Route: the value facing the next hop on top, the one facing the sender below.
            if (inbound.Transport != outbound.Transport)
            {
                builder.AddFirst(HeaderId.RecordRoute, RecordRouteValue(inbound, token, secure));
            }

            builder.AddFirst(HeaderId.RecordRoute, RecordRouteValue(outbound, token, secure));
        }

        foreach (var (id, value) in extra)
        {
            builder.Add(id, value);
        }

        ReplaceBody(builder, body);
        builder.AddFirst(HeaderId.Via, CreateVia(outbound, branch));
        return builder.ToArray();
    }

    /// <summary>SipTrunk's Via for a request leaving on <paramref name="outbound"/>.</summary>
    public string CreateVia(SipFlow outbound, string branch)
    {
        ArgumentNullException.ThrowIfNull(outbound);
        var (host, port) = Advertised(outbound);
        var via = ViaHeader.Create(TransportToken(outbound.Transport), host, port, branch);
        // RFC 3581: over UDP ask the next hop to answer to the port we sent from.
        return outbound.Transport == SipTransportKind.Udp ? via.WithParameter("rport", null).ToString() : via.ToString();
    }

    /// <summary>
    /// Reads the leading Route values (RFC 3261 §16.4): those naming SipTrunk are counted and the flow token of the last
    /// one decoded.
    /// </summary>
    public RouteAnalysis AnalyzeRoutes(SipRequest request, SipFlow arrival)
    {
        ArgumentNullException.ThrowIfNull(request);
        var count = 0;
        FlowToken? token = null;
        foreach (var value in request.GetValues(HeaderId.Route))
        {
            if (!NameAddress.TryParse(value.ToString(), out var route, out _) || route.Uri is not SipUri uri || !IsLocal(uri, arrival))
            {
                return new RouteAnalysis(count, token, true);
            }

            count++;
            if (uri.Parameters[TokenParameter] is { } text && _codec.TryDecode(text, out var decoded))
            {
                token = decoded;
            }
        }

        return new RouteAnalysis(count, token, false);
    }

    /// <summary>
    /// True when <paramref name="uri"/> names SipTrunk: it carries a valid flow token of ours, or its host is the domain,
    /// a listener address or the local address of the arrival flow, with a port SipTrunk listens on.
    /// </summary>
    public bool IsLocal(SipUri uri, SipFlow? arrival)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Parameters[TokenParameter] is { } text && _codec.TryDecode(text, out _))
        {
            return true;
        }

        var defaultPort = uri.IsSecure || string.Equals(uri.Transport, "tls", StringComparison.OrdinalIgnoreCase) ? 5061 : 5060;
        var port = uri.Port ?? defaultPort;
        var hostIsLocal = string.Equals(uri.Host, _settings.Domain, StringComparison.OrdinalIgnoreCase)
            || _settings.LocalEndpoints.Any(e => string.Equals(e.Host, uri.Host, StringComparison.OrdinalIgnoreCase))
            || (arrival is not null && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && address.Equals(arrival.LocalEndPoint.Address));
        return hostIsLocal && (_settings.LocalEndpoints.Any(e => e.Port == port) || (arrival is not null && arrival.ListenerName is not null && arrival.LocalEndPoint.Port == port));
    }

    /// <summary>RFC 3261 §16.3 step 4: a Via of SipTrunk's own in the request means it has been here before.</summary>
    public bool IsLoop(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The top Via is already parsed and cached by the validator; only the ones below it are parsed here.
        var first = true;
        foreach (var value in request.GetValues(HeaderId.Via))
        {
            var via = first ? request.Via : ViaHeader.TryParse(value.ToString(), out var parsed, out _) ? parsed : null;
            first = false;
            if (via is not null && IsLocalSentBy(via))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsLocalSentBy(ViaHeader via) =>
        _settings.LocalEndpoints.Any(e => e.Port == (via.Port ?? 5060) && string.Equals(e.Host, via.Host, StringComparison.OrdinalIgnoreCase));

    private string RecordRouteValue(SipFlow side, string token, bool secure)
    {
        var (host, port) = Advertised(side);
        var hostText = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return side.Transport switch
        {
            SipTransportKind.Tls when secure => $"<sips:{hostText}:{port};lr;{TokenParameter}={token}>",
            SipTransportKind.Tls => $"<sip:{hostText}:{port};transport=tls;lr;{TokenParameter}={token}>",
            SipTransportKind.Tcp => $"<sip:{hostText}:{port};transport=tcp;lr;{TokenParameter}={token}>",
            _ => $"<sip:{hostText}:{port};lr;{TokenParameter}={token}>",
        };
    }

    private (string Host, int Port) Advertised(SipFlow flow)
    {
        foreach (var endpoint in _settings.LocalEndpoints)
        {
            if (endpoint.Transport == flow.Transport)
            {
                return (endpoint.Host, endpoint.Port);
            }
        }

        return (flow.LocalEndPoint.Address.ToString(), flow.LocalEndPoint.Port);
    }

    private static string TransportToken(SipTransportKind transport) => transport switch
    {
        SipTransportKind.Tls => "TLS",
        SipTransportKind.Tcp => "TCP",
        _ => "UDP",
    };

    // RFC 3261 §18.2.1 and RFC 3581 §4: record the address the request really came from.
    private static ViaHeader? StampReceived(ViaHeader via, IPEndPoint source)
    {
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var sourceText = address.ToString();
        var updated = via;
        if (!string.Equals(via.Host.Trim('[', ']'), sourceText, StringComparison.OrdinalIgnoreCase))
        {
            updated = updated.WithReceived(sourceText);
        }

        if (via.HasRport && via.Rport is null)
        {
            updated = updated.WithReceived(sourceText).WithRport(source.Port);
        }

        return ReferenceEquals(updated, via) ? null : updated;
    }
}
