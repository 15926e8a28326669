namespace SipTrunk.Core.Certificates;

/// <summary>What <c>siptrunk certs init</c> was asked to write (CONTRACT.md §2).</summary>
public sealed record DevPkiRequest
{
    /// <summary>The output directory; created (mode 0700) if missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>PBX names: each gets a clientAuth certificate <c>NAME.pem</c>/<c>NAME.key</c>.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>Test carrier names: each gets a serverAuth+clientAuth certificate <c>NAME.pem</c>/<c>NAME.key</c>.</summary>
    public IReadOnlyList<string> Carriers { get; init; } = [];

    /// <summary>Extra server names or addresses, beyond localhost, 127.0.0.1 and ::1; the first one is the CN.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Start over: a fresh CA, and every requested file re-issued and overwritten.</summary>
    public bool Force { get; init; }
}
