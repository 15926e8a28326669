namespace SipTrunk.Core.Registrar;

/// <summary>Registration intervals and limits (RFC 3261 §10.3 steps 7–8).</summary>
public sealed record RegistrarSettings
{
    /// <summary>Shorter non-zero requests get <c>423 Interval Too Brief</c> with this as <c>Min-Expires</c>.</summary>
    public TimeSpan MinExpires { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longer requests are shortened to this.</summary>
    public TimeSpan MaxExpires { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>Used when the REGISTER gives neither an <c>expires</c> parameter nor an Expires header.</summary>
    public TimeSpan DefaultExpires { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>Contacts per address of record beyond this are refused (a PBX needs a few, not hundreds).</summary>
    public int MaxContactsPerAor { get; init; } = 10;
}
