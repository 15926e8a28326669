namespace SipTrunk.Core.Media;

/// <summary><c>Media:SrtpMode</c>.</summary>
public enum SrtpRelayMode
{
    /// <summary>Each leg gets keys SipTrunk generates; packets are decrypted from one leg and encrypted to the other.</summary>
    Rekey,

    /// <summary><c>a=crypto</c> is forwarded unchanged and packets pass byte for byte, where both legs speak SDES SRTP.</summary>
    Passthrough,
}
