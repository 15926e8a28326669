namespace SipTrunk.Core.Media;

/// <summary>Which way packets cross a <see cref="RelayStream"/>.</summary>
public enum RelayDirection
{
    /// <summary>Received on leg A (from party A), sent out of leg B.</summary>
    AToB,

    /// <summary>Received on leg B (from party B), sent out of leg A.</summary>
    BToA,
}
