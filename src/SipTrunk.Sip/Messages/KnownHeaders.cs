using System.Text;

namespace SipTrunk.Sip.Messages;

/// <summary>
/// The one table of header names SipTrunk recognises, with their compact forms (RFC 3261 §7.3.3 and the
/// RFCs that registered later ones) and whether their grammar is a comma-separated list.
/// Lookup is case-insensitive (RFC 3261 §7.3.5) and allocation-free.
/// </summary>
public static class KnownHeaders
{
    private static readonly HeaderInfo[] ById = BuildTable();

    // Buckets by name length for the byte-span lookup; index = length.
    private static readonly HeaderInfo[][] ByLength = BuildLengthBuckets(ById);

    // Compact forms by lower-case ASCII letter.
    private static readonly HeaderId[] ByCompact = BuildCompactTable(ById);

    /// <summary>All known headers, indexed by <see cref="HeaderId"/>.</summary>
    public static IReadOnlyList<HeaderInfo> All => ById;

    /// <summary>The info for <paramref name="id"/>.</summary>
    public static HeaderInfo Get(HeaderId id) => ById[(int)id];

    /// <summary>Identifies a header name (full or compact form) given as wire bytes.</summary>
    public static HeaderId Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            var c = name[0] | 0x20;
            return c is >= 'a' and <= 'z' ? ByCompact[c - 'a'] : HeaderId.Unknown;
        }

        if (name.Length >= ByLength.Length)
        {
            return HeaderId.Unknown;
        }

        var first = name[0] | 0x20;
        foreach (var candidate in ByLength[name.Length])
        {
            var bytes = candidate.NameBytes;
            if ((bytes[0] | 0x20) == first && Ascii.EqualsIgnoreCase(bytes, name))
            {
                return candidate.Id;
            }
        }

        return HeaderId.Unknown;
    }

    /// <summary>Identifies a header name (full or compact form) given as text.</summary>
    public static HeaderId Lookup(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || name.Length >= ByLength.Length || !Ascii.IsValid(name))
        {
            return HeaderId.Unknown;
        }

        Span<byte> bytes = stackalloc byte[name.Length];
        Encoding.ASCII.GetBytes(name, bytes);
        return Lookup(bytes);
    }

    private static HeaderInfo[] BuildTable()
    {
        // Compact forms: RFC 3261 §7.3.3 (i m e l c f s k t v), RFC 3265 (o u), RFC 3515 (r), RFC 3892 (b),
        // RFC 4028 (x), RFC 3841 (a j d), RFC 4474 (y n).
        HeaderInfo[] entries =
        [
            new(HeaderId.Unknown, string.Empty, '\0', false),
            new(HeaderId.Accept, "Accept", '\0', true),
            new(HeaderId.AcceptContact, "Accept-Contact", 'a', true),
            new(HeaderId.AcceptEncoding, "Accept-Encoding", '\0', true),
            new(HeaderId.AcceptLanguage, "Accept-Language", '\0', true),
            new(HeaderId.AlertInfo, "Alert-Info", '\0', true),
            new(HeaderId.Allow, "Allow", '\0', true),
            new(HeaderId.AllowEvents, "Allow-Events", 'u', true),
            new(HeaderId.AuthenticationInfo, "Authentication-Info", '\0', false),
            new(HeaderId.Authorization, "Authorization", '\0', false),
            new(HeaderId.CallId, "Call-ID", 'i', false),
            new(HeaderId.CallInfo, "Call-Info", '\0', true),
            new(HeaderId.Contact, "Contact", 'm', true),
            new(HeaderId.ContentDisposition, "Content-Disposition", '\0', false),
            new(HeaderId.ContentEncoding, "Content-Encoding", 'e', true),
            new(HeaderId.ContentLanguage, "Content-Language", '\0', true),
            new(HeaderId.ContentLength, "Content-Length", 'l', false),
            new(HeaderId.ContentType, "Content-Type", 'c', false),
            new(HeaderId.CSeq, "CSeq", '\0', false),
            new(HeaderId.Date, "Date", '\0', false),
            new(HeaderId.ErrorInfo, "Error-Info", '\0', true),
            new(HeaderId.Event, "Event", 'o', false),
            new(HeaderId.Expires, "Expires", '\0', false),
            new(HeaderId.FlowTimer, "Flow-Timer", '\0', false),
            new(HeaderId.From, "From", 'f', false),
            new(HeaderId.Identity, "Identity", 'y', false),
            new(HeaderId.IdentityInfo, "Identity-Info", 'n', false),
            new(HeaderId.InReplyTo, "In-Reply-To", '\0', true),
            new(HeaderId.MaxForwards, "Max-Forwards", '\0', false),
            new(HeaderId.MimeVersion, "MIME-Version", '\0', false),
            new(HeaderId.MinExpires, "Min-Expires", '\0', false),
            new(HeaderId.MinSE, "Min-SE", '\0', false),
            new(HeaderId.Organization, "Organization", '\0', false),
            new(HeaderId.PAssertedIdentity, "P-Asserted-Identity", '\0', true),
            new(HeaderId.Path, "Path", '\0', true),
            new(HeaderId.PPreferredIdentity, "P-Preferred-Identity", '\0', true),
            new(HeaderId.Priority, "Priority", '\0', false),
            new(HeaderId.Privacy, "Privacy", '\0', false),
            new(HeaderId.ProxyAuthenticate, "Proxy-Authenticate", '\0', false),
            new(HeaderId.ProxyAuthorization, "Proxy-Authorization", '\0', false),
            new(HeaderId.ProxyRequire, "Proxy-Require", '\0', true),
            new(HeaderId.RAck, "RAck", '\0', false),
            new(HeaderId.Reason, "Reason", '\0', true),
            new(HeaderId.RecordRoute, "Record-Route", '\0', true),
            new(HeaderId.ReferredBy, "Referred-By", 'b', false),
            new(HeaderId.ReferTo, "Refer-To", 'r', false),
            new(HeaderId.RejectContact, "Reject-Contact", 'j', true),
            new(HeaderId.Replaces, "Replaces", '\0', false),
            new(HeaderId.ReplyTo, "Reply-To", '\0', false),
            new(HeaderId.RequestDisposition, "Request-Disposition", 'd', true),
            new(HeaderId.Require, "Require", '\0', true),
            new(HeaderId.RetryAfter, "Retry-After", '\0', false),
            new(HeaderId.Route, "Route", '\0', true),
            new(HeaderId.RSeq, "RSeq", '\0', false),
            new(HeaderId.Server, "Server", '\0', false),
            new(HeaderId.SessionExpires, "Session-Expires", 'x', false),
            new(HeaderId.SipETag, "SIP-ETag", '\0', false),
            new(HeaderId.SipIfMatch, "SIP-If-Match", '\0', false),
            new(HeaderId.Subject, "Subject", 's', false),
            new(HeaderId.SubscriptionState, "Subscription-State", '\0', false),
            new(HeaderId.Supported, "Supported", 'k', true),
            new(HeaderId.Timestamp, "Timestamp", '\0', false),
            new(HeaderId.To, "To", 't', false),
            new(HeaderId.Unsupported, "Unsupported", '\0', true),
            new(HeaderId.UserAgent, "User-Agent", '\0', false),
            new(HeaderId.Via, "Via", 'v', true),
            new(HeaderId.Warning, "Warning", '\0', true),
            new(HeaderId.WwwAuthenticate, "WWW-Authenticate", '\0', false),
        ];

        for (var i = 0; i < entries.Length; i++)
        {
            if ((int)entries[i].Id != i)
            {
                throw new InvalidOperationException($"KnownHeaders table out of order at {entries[i].Name}");
            }
        }

        return entries;
    }

    private static HeaderInfo[][] BuildLengthBuckets(HeaderInfo[] table)
    {
        var max = table.Max(h => h.Name.Length);
        var buckets = new HeaderInfo[max + 1][];
        for (var length = 0; length <= max; length++)
        {
            buckets[length] = [.. table.Where(h => h.Id != HeaderId.Unknown && h.Name.Length == length)];
        }

        return buckets;
    }

    private static HeaderId[] BuildCompactTable(HeaderInfo[] table)
    {
        var compact = new HeaderId[26];
        foreach (var header in table)
        {
            if (header.CompactForm != '\0')
            {
                compact[header.CompactForm - 'a'] = header.Id;
            }
        }

        return compact;
    }
}
