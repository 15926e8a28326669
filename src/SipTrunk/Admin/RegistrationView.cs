using SipTrunk.Core.Registrar;

namespace SipTrunk.Admin;

/// <summary>One registrar binding as <c>/api/registrations</c> shows it.</summary>
/// <param name="Peer">The peer that registered.</param>
/// <param name="Aor">The address of record.</param>
/// <param name="Contact">The registered Contact URI.</param>
/// <param name="Expires">Seconds until the binding expires (RFC 3261 §10.2.1.1 <c>expires</c>).</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="Source">The address the REGISTER came from (<c>ip:port</c>).</param>
/// <param name="Transport"><c>tls</c>, <c>tcp</c> or <c>udp</c>.</param>
/// <param name="UserAgent">The registering client's User-Agent.</param>
/// <param name="InstanceId">RFC 5626 <c>+sip.instance</c>.</param>
/// <param name="RegId">RFC 5626 <c>reg-id</c>.</param>
/// <param name="Q">The Contact's preference.</param>
/// <param name="Connected">Whether the connection the REGISTER came on belongs to this process (false after a restart until the peer refreshes).</param>
/// <param name="UpdatedAt">When it was created or last refreshed.</param>
internal sealed record RegistrationView(
    string Peer,
    string Aor,
    string Contact,
    long Expires,
    DateTimeOffset ExpiresAt,
    string? Source,
    string? Transport,
    string? UserAgent,
    string? InstanceId,
    int? RegId,
    double? Q,
    bool Connected,
    DateTimeOffset UpdatedAt)
{
    public static RegistrationView From(RegistrarBinding binding, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(binding);
        return new RegistrationView(
            binding.Peer,
            binding.Aor,
            binding.ContactUri,
            Math.Max(0, (long)Math.Ceiling((binding.ExpiresAt - now).TotalSeconds)),
            binding.ExpiresAt,
            binding.RemoteEndPoint,
            binding.Transport,
            binding.UserAgent,
            binding.InstanceId,
            binding.RegId,
            binding.Q,
            binding.FlowId != 0,
            binding.UpdatedAt);
    }
}
