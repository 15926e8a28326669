namespace SipTrunk.Configuration;

/// <summary><c>Media.SrtpMode</c>: per-leg keys (<see cref="Rekey"/>) or SDP crypto forwarded unchanged (<see cref="Passthrough"/>).</summary>
internal enum SrtpMode
{
    Rekey,
    Passthrough,
}
