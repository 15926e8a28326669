namespace SipTrunk.Fuzz;

/// <summary>The two fuzz targets, named on the command line.</summary>
internal static class FuzzTarget
{
    public static SharpFuzz.ReadOnlySpanAction? Find(string name) => name switch
    {
        "sip" => SipStreamTarget.Run,
        "sdp" => SdpTarget.Run,
        _ => null,
    };
}
