namespace SipTrunk.Core.Media;

/// <summary>One party's media policy: its SRTP policy, and whether it is a trunk peer (PBX/softphone) or a carrier.</summary>
/// <param name="Srtp">What SipTrunk offers this party and accepts from it.</param>
/// <param name="IsPeer">A peer's plain-RTP offer is refused when the other side is a carrier with <see cref="LegSrtpPolicy.Require"/>.</param>
public sealed record MediaLegPolicy(LegSrtpPolicy Srtp, bool IsPeer);
