namespace SipTrunk.Core.Registrar;

/// <summary>One Contact of a REGISTER, resolved: its URI, granted expiry and RFC 5626 identity.</summary>
/// <param name="Uri">The contact URI as text (URI parameters kept, header parameters dropped).</param>
/// <param name="ParsedUri">The parsed URI, for RFC 3261 §19.1.4 comparison.</param>
/// <param name="Expires">Granted seconds, after the Max-Expires cap; 0 removes the binding.</param>
/// <param name="InstanceId">The <c>+sip.instance</c> value, or <see langword="null"/>.</param>
/// <param name="RegId">The <c>reg-id</c> when outbound applies (RFC 5626 §6), else <see langword="null"/>.</param>
/// <param name="Q">The <c>q</c> value, or <see langword="null"/>.</param>
internal readonly record struct RequestedContact(
    string Uri,
    SipTrunk.Sip.Uris.AbsoluteUri ParsedUri,
    int Expires,
    string? InstanceId,
    int? RegId,
    double? Q);
