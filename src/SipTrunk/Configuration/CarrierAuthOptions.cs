using System.Text;

namespace SipTrunk.Configuration;

/// <summary><c>Carriers[].Auth</c>: credentials SipTrunk answers a carrier's digest challenge with.</summary>
internal sealed record CarrierAuthOptions
{
    public string? Username { get; init; }

    public string? Password { get; init; }

    // Records print every property; the password must never reach a log line (CONTRACT.md §6).
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username).Append(", Password = ").Append(Password is null ? "" : Redaction.Mask);
        return true;
    }
}
