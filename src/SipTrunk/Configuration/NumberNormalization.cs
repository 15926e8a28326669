namespace SipTrunk.Configuration;

/// <summary><c>Routing.NumberNormalization</c>: how the Request-URI user part is normalized before route matching.</summary>
internal enum NumberNormalization
{
    E164,
    None,
}
