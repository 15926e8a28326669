using System.Globalization;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Headers;
using SipTrunk.Sip.Messages;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Core.Registrar;

/// <summary>
/// REGISTER processing (RFC 3261 §10.3) for an authenticated peer: its own AORs only, bindings with expiry, 423 with
/// Min-Expires, <c>Contact: *</c> removal, Call-ID/CSeq ordering, RFC 5626 instance/reg-id, RFC 3327 Path; each binding
/// remembers the flow the REGISTER came on.
/// </summary>
/// <remarks>
/// Without outbound, a contact matches a binding by RFC 3261 §19.1.4 URI equality for sip/sips URIs (ordinal text
/// for other schemes), among bindings that were not made with a reg-id. With outbound (RFC 5626 §6: <c>+sip.instance</c>,
/// <c>reg-id</c> and <c>Supported: outbound</c>), it matches by instance and reg-id whatever the URI. The whole request
/// is applied atomically: any refusal leaves the bindings as they were.
/// </remarks>
public sealed class Registrar
{
    private readonly RegistrarSettings _settings;
    private readonly LocationService _locations;
    private readonly TimeProvider _time;

    public Registrar(RegistrarSettings settings, LocationService locations, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(time);
        _settings = settings;
        _locations = locations;
        _time = time;
    }

    /// <summary>
    /// The canonical address of record of <paramref name="uri"/>: <c>sip:user@host</c>, host lowercased, port and
    /// parameters dropped, and sips folded into sip so both schemes reach one set of bindings.
    /// </summary>
    public static string CanonicalAor(SipUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return "sip:" + uri.User + "@" + uri.Host.ToLowerInvariant();
    }

    /// <summary>Applies one REGISTER from <paramref name="peer"/> (already authenticated) arriving on <paramref name="flow"/>.</summary>
    public RegisterResult Register(SipRequest request, SipFlow flow, PeerDefinition peer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(peer);
        if (!peer.Register)
        {
            return Refuse(403, "Registration not allowed");
        }

        // RFC 3261 §10.3 step 3: the To URI is the address of record.
        if (request.To is not { } to)
        {
            return Refuse(400, "Invalid To header");
        }

        if (to.Uri is not SipUri { User: { Length: > 0 } user } toUri)
        {
            return Refuse(404, "Not Found");
        }

        // Step 6 of §10.3 lets the registrar decide who may register an AOR: a peer registers only its own name.
        if (!string.Equals(user, peer.Name, StringComparison.Ordinal)
            && !string.Equals(user, peer.Credentials?.Username, StringComparison.Ordinal))
        {
            return Refuse(403, "Not your address of record");
        }

        if (request.CallId is not { Length: > 0 } callId || request.CSeq is not { } cseq)
        {
            return Refuse(400, "Missing Call-ID or CSeq");
        }

        var aor = CanonicalAor(toUri);
        var (outbound, path) = ReadSupported(request);
        if (!TryReadExpiresHeader(request, out var headerExpires))
        {
            return Refuse(400, "Invalid Expires header");
        }

        if (!TryReadContacts(request, out var contacts, out var wildcard))
        {
            return Refuse(400, "Invalid Contact header");
        }

        // §10.3 step 6: "*" only alone and only with Expires: 0.
        if (wildcard && (contacts.Count > 0 || headerExpires != 0))
        {
            return Refuse(400, "Invalid wildcard Contact");
        }

        var pathValues = Values(request, HeaderId.Path);
        if (!wildcard && contacts.Count == 0)
        {
            // §10.2.3: a REGISTER without Contact is a query.
            return Ok(_locations.Get(aor), requireOutbound: false, echoedPath: []);
        }

        var requested = new List<RequestedContact>(contacts.Count);
        var usesOutbound = false;
        foreach (var contact in contacts)
        {
            // §10.3 step 7: the contact's expires parameter, else the Expires header, else our default.
            long seconds = contact.Expires ?? headerExpires ?? (long)_settings.DefaultExpires.TotalSeconds;
            if (seconds != 0 && seconds < (long)_settings.MinExpires.TotalSeconds)
            {
                return new RegisterResult(423, "Interval Too Brief",
                    [(HeaderId.MinExpires, ((long)_settings.MinExpires.TotalSeconds).ToString(CultureInfo.InvariantCulture))]);
            }

            seconds = Math.Min(seconds, (long)_settings.MaxExpires.TotalSeconds);
            if (!TryResolveOutbound(contact.Address!, outbound, out var instance, out var regId))
            {
                return Refuse(400, "Invalid reg-id");
            }

            usesOutbound |= regId is not null;
            requested.Add(new RequestedContact(contact.Address!.Uri.ToString(), contact.Address.Uri, (int)seconds, instance, regId, contact.Q));
        }

        var now = _time.GetUtcNow();
        var template = new RegistrarBinding
        {
            Peer = peer.Name,
            Aor = aor,
            ContactUri = string.Empty,
            ExpiresAt = now,
            CallId = callId,
            CSeq = cseq.Sequence,
            FlowId = flow.Id,
            RemoteEndPoint = flow.RemoteEndPoint.ToString(),
            Transport = TransportName(flow.Transport),
            Path = pathValues,
            UserAgent = request.GetFirstValueString(HeaderId.UserAgent),
            UpdatedAt = now,
        };

        var (outcome, bindings) = _locations.Update(aor, current => Apply(current, wildcard, requested, template));
        return outcome switch
        {
            Outcome.OutOfOrder => Refuse(500, "Out of order"),
            Outcome.TooManyContacts => Refuse(403, "Too many contacts"),
            _ => Ok(bindings, usesOutbound, path ? pathValues : []),
        };
    }

    private static RegisterResult Refuse(int statusCode, string reason) => new(statusCode, reason, []);

    private static string TransportName(SipTransportKind transport) => transport switch
    {
        SipTransportKind.Tls => "tls",
        SipTransportKind.Tcp => "tcp",
        _ => "udp",
    };

    private static string[] Values(SipRequest request, HeaderId id)
    {
        var values = new List<string>();
        foreach (var value in request.GetValues(id))
        {
            values.Add(value.ToString());
        }

        return [.. values];
    }

    private static (bool Outbound, bool Path) ReadSupported(SipRequest request)
    {
        var outbound = false;
        var path = false;
        foreach (var value in request.GetValues(HeaderId.Supported))
        {
            var option = value.ToString();
            outbound |= string.Equals(option, "outbound", StringComparison.OrdinalIgnoreCase);
            path |= string.Equals(option, "path", StringComparison.OrdinalIgnoreCase);
        }

        return (outbound, path);
    }

    private static bool TryReadExpiresHeader(SipRequest request, out long? expires)
    {
        expires = null;
        if (!request.TryGetFirstValue(HeaderId.Expires, out var value))
        {
            return true;
        }

        // delta-seconds; anything beyond 2^32-1 means 2^32-1 (RFC 3261 §20.19), and is capped later anyway.
        var text = value.ToString();
        if (text.Length == 0 || text.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        expires = text.Length > 10 ? uint.MaxValue : Math.Min(long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture), uint.MaxValue);
        return true;
    }

    private static bool TryReadContacts(SipRequest request, out List<ContactValue> contacts, out bool wildcard)
    {
        contacts = [];
        wildcard = false;
        foreach (var value in request.GetValues(HeaderId.Contact))
        {
            if (!ContactValue.TryParse(value.ToString(), out var contact, out _))
            {
                return false;
            }

            if (contact.IsWildcard)
            {
                if (wildcard)
                {
                    // Two wildcards: as invalid as a wildcard with a contact.
                    contacts.Add(contact);
                }

                wildcard = true;
            }
            else
            {
                contacts.Add(contact);
            }
        }

        return true;
    }

    // RFC 5626 §6: outbound applies to a contact with +sip.instance and reg-id when the UA said Supported: outbound.
    private static bool TryResolveOutbound(NameAddress address, bool supported, out string? instance, out int? regId)
    {
        instance = address.Parameters["+sip.instance"];
        regId = null;
        if (!supported || instance is null || !address.Parameters.TryGetValue("reg-id", out var text))
        {
            return true;
        }

        // reg-id = 1*DIGIT, and it starts at 1 (RFC 5626 §4.2.1).
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
        {
            return false;
        }

        regId = parsed;
        return true;
    }

    // Runs under the location service's lock: the result's bindings are exactly what was stored.
    private (IReadOnlyList<RegistrarBinding>? Bindings, (Outcome, IReadOnlyList<RegistrarBinding>) Result) Apply(
        IReadOnlyList<RegistrarBinding> current, bool wildcard, List<RequestedContact> requested, RegistrarBinding template)
    {
        if (wildcard)
        {
            // §10.3 step 6: "*" removes every binding unless one of them was made later in the same Call-ID.
            return current.Any(b => IsNotNewer(b, template)) ? (null, (Outcome.OutOfOrder, [])) : ([], (Outcome.Ok, []));
        }

        var working = current.ToList();
        var made = new HashSet<RegistrarBinding>(ReferenceEqualityComparer.Instance);
        foreach (var contact in requested)
        {
            var index = working.FindIndex(b => Matches(b, contact));
            if (index >= 0 && !made.Contains(working[index]) && IsNotNewer(working[index], template))
            {
                // §10.3 step 7: same Call-ID with a CSeq not higher is a retransmission or a reordered request.
                return (null, (Outcome.OutOfOrder, []));
            }

            if (contact.Expires == 0)
            {
                if (index >= 0)
                {
                    working.RemoveAt(index);
                }

                continue;
            }

            var binding = template with
            {
                ContactUri = contact.Uri,
                ExpiresAt = template.UpdatedAt.AddSeconds(contact.Expires),
                InstanceId = contact.InstanceId,
                RegId = contact.RegId,
                Q = contact.Q,
            };
            made.Add(binding);
            if (index >= 0)
            {
                working[index] = binding;
            }
            else
            {
                working.Add(binding);
            }
        }

        // Only growth is refused, so a peer over a lowered limit can still refresh and remove.
        if (working.Count > _settings.MaxContactsPerAor && working.Count > current.Count)
        {
            return (null, (Outcome.TooManyContacts, []));
        }

        return (working, (Outcome.Ok, working));
    }

    private static bool IsNotNewer(RegistrarBinding existing, RegistrarBinding request) =>
        string.Equals(existing.CallId, request.CallId, StringComparison.Ordinal) && existing.CSeq >= request.CSeq;

    private static bool Matches(RegistrarBinding binding, RequestedContact contact)
    {
        if (contact.RegId is { } regId)
        {
            return binding.RegId == regId && string.Equals(binding.InstanceId, contact.InstanceId, StringComparison.Ordinal);
        }

        if (binding.RegId is not null)
        {
            return false;
        }

        return contact.ParsedUri is SipUri sipUri && SipUri.TryParse(binding.ContactUri, out var stored, out _)
            ? sipUri.Equals(stored)
            : string.Equals(binding.ContactUri, contact.Uri, StringComparison.Ordinal);
    }

    private RegisterResult Ok(IReadOnlyList<RegistrarBinding> bindings, bool requireOutbound, string[] echoedPath)
    {
        var now = _time.GetUtcNow();
        var headers = new List<(HeaderId Id, string Value)>(bindings.Count + echoedPath.Length + 2);
        foreach (var binding in bindings)
        {
            headers.Add((HeaderId.Contact, ContactHeader(binding, now)));
        }

        // RFC 3327 §5.3: the registrar returns the stored Path so the UA can see it.
        foreach (var value in echoedPath)
        {
            headers.Add((HeaderId.Path, value));
        }

        if (requireOutbound)
        {
            // RFC 5626 §6: tells the UA its flows are being used for outbound.
            headers.Add((HeaderId.Require, "outbound"));
        }

        // §10.3 step 8 suggests a Date header so clients can see the registrar's clock.
        headers.Add((HeaderId.Date, now.UtcDateTime.ToString("R", CultureInfo.InvariantCulture)));
        return new RegisterResult(200, "OK", headers);
    }

    private static string ContactHeader(RegistrarBinding binding, DateTimeOffset now)
    {
        var remaining = Math.Max(0, (long)Math.Floor((binding.ExpiresAt - now).TotalSeconds));
        var parameters = HeaderParameters.Empty.With("expires", remaining.ToString(CultureInfo.InvariantCulture));
        if (binding.InstanceId is { } instance)
        {
            parameters = parameters.With(new HeaderParameter("+sip.instance", instance, IsQuoted: true));
        }

        if (binding.RegId is { } regId)
        {
            parameters = parameters.With("reg-id", regId.ToString(CultureInfo.InvariantCulture));
        }

        return "<" + binding.ContactUri + ">" + parameters.ToString();
    }

    private enum Outcome
    {
        Ok,
        OutOfOrder,
        TooManyContacts,
    }
}
