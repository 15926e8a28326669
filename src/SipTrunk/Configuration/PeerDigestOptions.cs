namespace SipTrunk.Configuration;

/// <summary><c>Peers[].Digest</c>: digest credentials as HA1 values (RFC 7616 §3.4.2); no plaintext passwords.</summary>
internal sealed record PeerDigestOptions
{
    public string Username { get; init; } = "";

    public string? Ha1Sha256 { get; init; }

    public string? Ha1Md5 { get; init; }
}
