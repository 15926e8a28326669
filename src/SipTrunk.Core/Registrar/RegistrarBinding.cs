namespace SipTrunk.Core.Registrar;

/// <summary>
/// One registered contact of a peer's address of record (RFC 3261 §10.3), with the flow the REGISTER arrived on so
/// inbound requests reuse it (RFC 5626). Immutable: a refresh replaces the binding.
/// </summary>
public sealed record RegistrarBinding
{
    /// <summary>The configured peer name that registered it.</summary>
    public required string Peer { get; init; }

    /// <summary>The address of record, canonical: <c>sip:user@host</c> (scheme and host lowercased, no parameters).</summary>
    public required string Aor { get; init; }

    /// <summary>The Contact URI as registered (the Request-URI of inbound requests to it).</summary>
    public required string ContactUri { get; init; }

    /// <summary>When the binding expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The Call-ID of the REGISTER that created or last refreshed it (RFC 3261 §10.3 step 7).</summary>
    public required string CallId { get; init; }

    /// <summary>The CSeq number of that REGISTER.</summary>
    public required long CSeq { get; init; }

    /// <summary>The SipTrunk flow the REGISTER came on; 0 when unknown (loaded from the store after a restart).</summary>
    public long FlowId { get; init; }

    /// <summary>The flow's remote address (<c>ip:port</c>), for display.</summary>
    public string? RemoteEndPoint { get; init; }

    /// <summary>The transport the REGISTER came on: <c>tls</c>, <c>tcp</c>, <c>udp</c>.</summary>
    public string? Transport { get; init; }

    /// <summary>Path header values (RFC 3327), in order; inbound requests carry them as Route headers.</summary>
    public IReadOnlyList<string> Path { get; init; } = [];

    /// <summary>The <c>+sip.instance</c> Contact parameter (RFC 5626 §4.1), or <see langword="null"/>.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The <c>reg-id</c> Contact parameter (RFC 5626 §4.2), or <see langword="null"/>.</summary>
    public int? RegId { get; init; }

    /// <summary>The Contact <c>q</c> value, or <see langword="null"/>.</summary>
    public double? Q { get; init; }

    /// <summary>The User-Agent of the registering client, for display.</summary>
    public string? UserAgent { get; init; }

    /// <summary>When the binding was created or last refreshed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
