using System.Text;

namespace SipTrunk.Core.Auth;

/// <summary>
/// A peer's digest credentials as HA1 values (RFC 7616 §3.4.2): never a password. An HA1 is as good as the password
/// for this realm, so it is never printed (CONTRACT.md §6).
/// </summary>
/// <param name="Username">The digest username the peer must authenticate as.</param>
/// <param name="Ha1Sha256">Lowercase hex HA1 for SHA-256, or <see langword="null"/>.</param>
/// <param name="Ha1Md5">Lowercase hex HA1 for MD5, or <see langword="null"/>.</param>
public sealed record PeerCredentials(string Username, string? Ha1Sha256, string? Ha1Md5)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username)
            .Append(", Ha1Sha256 = ").Append(Ha1Sha256 is null ? "" : "***")
            .Append(", Ha1Md5 = ").Append(Ha1Md5 is null ? "" : "***");
        return true;
    }
}
