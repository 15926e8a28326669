namespace SipTrunk.Core.Media;

/// <summary>The two parties of a call's media: the one that sent the initial INVITE, and the one it called.</summary>
public enum MediaSide
{
    /// <summary>The party that sent the initial INVITE (leg A of every relay stream).</summary>
    Caller,

    /// <summary>The called party (leg B).</summary>
    Callee,
}
