namespace SipTrunk.Testing.Peers;

/// <summary>
/// Paths of the SIPp scenarios in <c>tests/SipTrunk.Testing/Scenarios</c>, copied beside every test assembly that
/// references SipTrunk.Testing. All speak TCP (stunnel adds TLS) and answer OPTIONS health checks.
/// </summary>
public static class SippScenarios
{
    /// <summary>The folder holding the scenarios.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Scenarios");

    /// <summary>UAC: INVITE with SDP, 200 (Record-Route kept), ACK, 100 ms, BYE. Response time 1 is INVITE → 200.</summary>
    public static string Uac => Path.Combine(Directory, "uac.xml");

    /// <summary>Answered call that sends no media and waits for SipTrunk's BYE after the media inactivity timeout.</summary>
    public static string UacMediaTimeout => Path.Combine(Directory, "uac-media-timeout.xml");

    /// <summary>UAC: INVITE, 180, CANCEL; 200 (CANCEL) and 487 (INVITE) in either order; ACK for the 487.</summary>
    public static string UacCancel => Path.Combine(Directory, "uac-cancel.xml");

    /// <summary>UAC as <see cref="Uac"/>, holding the answered call for SIPp's <c>-d</c> milliseconds before the BYE.</summary>
    public static string UacHold => Path.Combine(Directory, "uac-hold.xml");

    /// <summary>UAS: 180, 200 with SDP, ACK (optional), BYE, 200.</summary>
    public static string Uas => Path.Combine(Directory, "uas.xml");

    /// <summary>
    /// UAS: 180, 200 with plain RTP/AVP PCMU SDP on SIPp's media address, ACK (optional), BYE, 200. Run it with
    /// <see cref="SippOptions.RtpEchoServer"/> so SIPp echoes the caller's RTP.
    /// </summary>
    public static string UasRtpEcho => Path.Combine(Directory, "uas-rtp-echo.xml");

    /// <summary>UAS: 180, then on CANCEL 200 and 487, then the ACK.</summary>
    public static string UasRingNoAnswer => Path.Combine(Directory, "uas-ring-no-answer.xml");

    /// <summary>UAS: 503 Service Unavailable to every INVITE, then the ACK.</summary>
    public static string Uas503 => Path.Combine(Directory, "uas-503.xml");
}
