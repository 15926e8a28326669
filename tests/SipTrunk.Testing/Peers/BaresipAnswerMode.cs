namespace SipTrunk.Testing.Peers;

/// <summary>How baresip answers an incoming INVITE (its account parameter <c>answermode</c>).</summary>
public enum BaresipAnswerMode
{
    /// <summary>Rings (180) and waits for an <c>accept</c> command.</summary>
    Manual,

    /// <summary>Answers 200 at once.</summary>
    Auto,
}
