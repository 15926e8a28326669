using SipTrunk.Sip.Messages;

namespace SipTrunk.Core.Registrar;

/// <summary>The registrar's answer to one REGISTER: the status, reason and extra headers of the response.</summary>
/// <param name="StatusCode">200 with the bindings, or 400/403/423/500.</param>
/// <param name="Reason">The reason phrase.</param>
/// <param name="Headers">Contact (one per binding, with <c>expires</c>), Min-Expires, Path, Require, Date… in order.</param>
public sealed record RegisterResult(int StatusCode, string Reason, IReadOnlyList<(HeaderId Id, string Value)> Headers);
