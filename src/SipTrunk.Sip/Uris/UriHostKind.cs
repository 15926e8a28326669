namespace SipTrunk.Sip.Uris;

/// <summary>The form of a URI or Via host (RFC 3261 §25.1 <c>host</c>).</summary>
public enum UriHostKind
{
    /// <summary>A host name (<c>hostname</c>).</summary>
    Domain,

    /// <summary>A dotted-quad IPv4 address (<c>IPv4address</c>).</summary>
    IPv4,

    /// <summary>A bracketed IPv6 reference (<c>IPv6reference</c>, RFC 5118).</summary>
    IPv6,
}
