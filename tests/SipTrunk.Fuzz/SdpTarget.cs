using SipTrunk.Sip.Sdp;

namespace SipTrunk.Fuzz;

/// <summary>
/// One fuzz input as an SDP body (RFC 8866). Parsing must never throw; a description that parses must write out
/// bytes that parse again, because SipTrunk rewrites and forwards every offer and answer it relays.
/// </summary>
internal static class SdpTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (!SessionDescription.TryParse(input, out var description, out var error))
        {
            SipStreamTarget.Require(error.Length > 0, "empty SDP error");
            return;
        }

        foreach (var media in description.Media)
        {
            _ = description.GetEffectiveDirection(media);
        }

        _ = description.HasInvalidCrypto;
        var written = description.ToArray();
        SipStreamTarget.Require(
            SessionDescription.TryParse(written, out _, out var again),
            $"SDP written from a parsed description does not parse again: {again}");
        _ = description.Clone().ToString();
    }
}
