using System.Text;

namespace SipTrunk.Configuration;

/// <summary><c>Peers[].Digest</c>: digest credentials as HA1 values (RFC 7616 §3.4.2); no plaintext passwords.</summary>
internal sealed record PeerDigestOptions
{
    public string Username { get; init; } = "";

    public string? Ha1Sha256 { get; init; }

    public string? Ha1Md5 { get; init; }

    // An HA1 is as good as the password for this realm; never print it (CONTRACT.md §6).
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username)
            .Append(", Ha1Sha256 = ").Append(Ha1Sha256 is null ? "" : Redaction.Mask)
            .Append(", Ha1Md5 = ").Append(Ha1Md5 is null ? "" : Redaction.Mask);
        return true;
    }
}
