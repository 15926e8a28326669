namespace SipTrunk.Sip.Messages;

/// <summary>SIP request methods SipTrunk treats specially; anything else is <see cref="Unknown"/> (and still proxied).</summary>
public enum SipMethod : byte
{
    Unknown = 0,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Prack,
    Subscribe,
    Notify,
    Publish,
    Info,
    Refer,
    Message,
    Update,
}
