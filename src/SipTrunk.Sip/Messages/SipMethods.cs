namespace SipTrunk.Sip.Messages;

/// <summary>Maps method tokens (case-sensitive, RFC 3261 §7.1) to <see cref="SipMethod"/> and back without allocating.</summary>
public static class SipMethods
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Options = "OPTIONS";
    public const string Register = "REGISTER";
    public const string Prack = "PRACK";
    public const string Subscribe = "SUBSCRIBE";
    public const string Notify = "NOTIFY";
    public const string Publish = "PUBLISH";
    public const string Info = "INFO";
    public const string Refer = "REFER";
    public const string Message = "MESSAGE";
    public const string Update = "UPDATE";

    /// <summary>Identifies a method token; <paramref name="name"/> is the interned name for known methods.</summary>
    public static SipMethod Parse(ReadOnlySpan<byte> token, out string? name)
    {
        (var method, name) = token.Length switch
        {
            3 when token.SequenceEqual("ACK"u8) => (SipMethod.Ack, Ack),
            3 when token.SequenceEqual("BYE"u8) => (SipMethod.Bye, Bye),
            4 when token.SequenceEqual("INFO"u8) => (SipMethod.Info, Info),
            5 when token.SequenceEqual("PRACK"u8) => (SipMethod.Prack, Prack),
            5 when token.SequenceEqual("REFER"u8) => (SipMethod.Refer, Refer),
            6 when token.SequenceEqual("INVITE"u8) => (SipMethod.Invite, Invite),
            6 when token.SequenceEqual("CANCEL"u8) => (SipMethod.Cancel, Cancel),
            6 when token.SequenceEqual("NOTIFY"u8) => (SipMethod.Notify, Notify),
            6 when token.SequenceEqual("UPDATE"u8) => (SipMethod.Update, Update),
            7 when token.SequenceEqual("OPTIONS"u8) => (SipMethod.Options, Options),
            7 when token.SequenceEqual("PUBLISH"u8) => (SipMethod.Publish, Publish),
            7 when token.SequenceEqual("MESSAGE"u8) => (SipMethod.Message, Message),
            8 when token.SequenceEqual("REGISTER"u8) => (SipMethod.Register, Register),
            9 when token.SequenceEqual("SUBSCRIBE"u8) => (SipMethod.Subscribe, Subscribe),
            _ => (SipMethod.Unknown, (string?)null),
        };
        return method;
    }

    /// <summary>Identifies a method given as text.</summary>
    public static SipMethod Parse(string name) => name switch
    {
        Invite => SipMethod.Invite,
        Ack => SipMethod.Ack,
        Bye => SipMethod.Bye,
        Cancel => SipMethod.Cancel,
        Options => SipMethod.Options,
        Register => SipMethod.Register,
        Prack => SipMethod.Prack,
        Subscribe => SipMethod.Subscribe,
        Notify => SipMethod.Notify,
        Publish => SipMethod.Publish,
        Info => SipMethod.Info,
        Refer => SipMethod.Refer,
        Message => SipMethod.Message,
        Update => SipMethod.Update,
        _ => SipMethod.Unknown,
    };
}
