namespace SipTrunk.Testing.Peers;

/// <summary>Whether a <see cref="SippProcess"/> places calls or answers them.</summary>
public enum SippMode
{
    /// <summary>UAC: connects to a remote port and runs the scenario <see cref="SippOptions.Calls"/> times.</summary>
    Client,

    /// <summary>UAS: listens on its local port and runs the scenario for each incoming call until stopped.</summary>
    Server,
}
