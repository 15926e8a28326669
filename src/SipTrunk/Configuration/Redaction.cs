namespace SipTrunk.Configuration;

/// <summary>What secrets in configuration records print as.</summary>
internal static class Redaction
{
    public const string Mask = "***";
}
