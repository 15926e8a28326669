using System.Net;

namespace SipTrunk.Configuration;

/// <summary>
/// Validates a bound <see cref="SipTrunkOptions"/> and returns every problem (as YARP's ConfigValidator does), so an
/// operator fixes the file once rather than once per error.
/// </summary>
internal static class SipTrunkOptionsValidator
{
    private static readonly string[] KnownDigestAlgorithms = [DigestOptions.Sha256, DigestOptions.Md5, DigestOptions.Sha512256];

    public static IReadOnlyList<ConfigProblem> Validate(SipTrunkOptions options)
    {
        var problems = new List<ConfigProblem>();
        if (string.IsNullOrWhiteSpace(options.Domain))
        {
            problems.Add(new("Domain", "required"));
        }
        else if (!ConfigSyntax.IsHostName(options.Domain) && !ConfigSyntax.IsIpAddress(options.Domain))
        {
            problems.Add(new("Domain", $"'{options.Domain}' is not a host name"));
        }

        ValidateListeners(options.Listeners, problems);
        TlsOptionsValidator.Validate(options, problems);
        PeerOptionsValidator.Validate(options, problems);
        CarrierOptionsValidator.Validate(options, problems);
        ValidateRoutes(options, problems);
        ValidateRouting(options.Routing, problems);
        ValidateDigest(options.Digest, problems);
        ValidateMedia(options.Media, problems);
        ValidateLimits(options.Limits, problems);
        ValidateSip(options.Sip, problems);
        ValidateTimers(options.Timers, problems);
        ValidateStorage(options.Storage, problems);
        AdminOptionsValidator.Validate(options.Admin, problems);
        if (options.DrainSeconds is < 0 or > 3600)
        {
            problems.Add(new("DrainSeconds", "must be 0-3600"));
        }

        return problems;
    }

    private static void ValidateListeners(IReadOnlyList<ListenerOptions> listeners, List<ConfigProblem> problems)
    {
        if (!listeners.Any(l => l.Enabled))
        {
            problems.Add(new("Listeners", "at least one enabled listener is required"));
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var bound = new List<(IPAddress Address, int Port, bool Udp, int Index)>();
        for (var i = 0; i < listeners.Count; i++)
        {
            var listener = listeners[i];
            var key = $"Listeners[{i}]";
            if (string.IsNullOrWhiteSpace(listener.Name))
            {
                problems.Add(new($"{key}.Name", "required"));
            }
            else if (!names.TryAdd(listener.Name, i))
            {
                problems.Add(new($"{key}.Name", $"duplicate name '{listener.Name}' (also Listeners[{names[listener.Name]}])"));
            }

            if (!Enum.IsDefined(listener.Transport))
            {
                problems.Add(new($"{key}.Transport", "must be tls, tcp or udp"));
            }

            var addressOk = IPAddress.TryParse(listener.Address, out var address);
            if (!addressOk)
            {
                problems.Add(new($"{key}.Address", $"'{listener.Address}' is not an IP address"));
            }

            var portOk = listener.Port is >= 1 and <= 65535;
            if (!portOk)
            {
                problems.Add(new($"{key}.Port", "must be 1-65535"));
            }

            if (listener.Transport != SipTransport.Tls && listener.ClientCertificate is { } mode && mode != ClientCertificateMode.None)
            {
                problems.Add(new($"{key}.ClientCertificate", "only applies to tls listeners"));
            }

            if (listener.Enabled && addressOk && portOk)
            {
                // tls and tcp both take a TCP port; a wildcard address overlaps every specific one (bind would fail).
                var udp = listener.Transport == SipTransport.Udp;
                var clash = bound.FirstOrDefault(b => b.Port == listener.Port && b.Udp == udp
                    && (b.Address.Equals(address) || ConfigSyntax.IsWildcard(b.Address) || ConfigSyntax.IsWildcard(address!)));
                if (clash.Address is not null)
                {
                    problems.Add(new($"{key}.Port", $"{listener.Address}:{listener.Port}/{(udp ? "udp" : "tcp")} is already used by Listeners[{clash.Index}]"));
                }
                else
                {
                    bound.Add((address!, listener.Port, udp, i));
                }
            }
        }
    }

    private static void ValidateRoutes(SipTrunkOptions options, List<ConfigProblem> problems)
    {
        var carriers = new HashSet<string>(options.Carriers.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        var prefixes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            var key = $"Routes[{i}]";
            var prefixOk = route.Prefix.Length == 0 || route.Prefix == "+" || ConfigSyntax.IsNumber(route.Prefix);
            if (!prefixOk)
            {
                problems.Add(new($"{key}.Prefix", $"'{route.Prefix}' is not empty, '+' or an optional '+' and digits"));
            }
            else if (!prefixes.TryAdd(route.Prefix, i))
            {
                problems.Add(new($"{key}.Prefix", $"duplicate prefix '{route.Prefix}' (also Routes[{prefixes[route.Prefix]}])"));
            }

            if (route.Carriers.Count == 0)
            {
                problems.Add(new($"{key}.Carriers", "at least one carrier is required"));
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var c = 0; c < route.Carriers.Count; c++)
            {
                var name = route.Carriers[c];
                if (!carriers.Contains(name))
                {
                    problems.Add(new($"{key}.Carriers[{c}]", $"unknown carrier '{name}'"));
                }
                else if (!seen.Add(name))
                {
                    problems.Add(new($"{key}.Carriers[{c}]", $"carrier '{name}' is listed twice"));
                }
            }
        }
    }

    private static void ValidateRouting(RoutingOptions routing, List<ConfigProblem> problems)
    {
        for (var i = 0; i < routing.FailoverOnCodes.Count; i++)
        {
            if (routing.FailoverOnCodes[i] is < 300 or > 699)
            {
                problems.Add(new($"Routing.FailoverOnCodes[{i}]", $"{routing.FailoverOnCodes[i]} is not a final non-2xx response code (300-699)"));
            }
        }

        if (routing.InviteTimeoutSeconds is < 1 or > 300)
        {
            problems.Add(new("Routing.InviteTimeoutSeconds", "must be 1-300"));
        }

        if (!Enum.IsDefined(routing.NumberNormalization))
        {
            problems.Add(new("Routing.NumberNormalization", "must be e164 or none"));
        }
    }

    private static void ValidateDigest(DigestOptions digest, List<ConfigProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(digest.Realm))
        {
            problems.Add(new("Digest.Realm", "required"));
        }

        if (digest.Algorithms.Count == 0)
        {
            problems.Add(new("Digest.Algorithms", $"at least one of {string.Join(", ", KnownDigestAlgorithms)} is required"));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < digest.Algorithms.Count; i++)
        {
            var algorithm = digest.Algorithms[i];
            if (!KnownDigestAlgorithms.Contains(algorithm, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add(new($"Digest.Algorithms[{i}]", $"'{algorithm}' is not one of {string.Join(", ", KnownDigestAlgorithms)}"));
            }
            else if (!seen.Add(algorithm))
            {
                problems.Add(new($"Digest.Algorithms[{i}]", $"'{algorithm}' is listed twice"));
            }
        }

        if (digest.NonceLifetimeSeconds is < 2 or > 3600)
        {
            problems.Add(new("Digest.NonceLifetimeSeconds", "must be 2-3600"));
        }
    }

    private static void ValidateMedia(MediaOptions media, List<ConfigProblem> problems)
    {
        if (!ConfigSyntax.IsIpAddress(media.Address))
        {
            problems.Add(new("Media.Address", $"'{media.Address}' is not an IP address"));
        }

        if (media.AdvertisedAddress is not null
            && (!IPAddress.TryParse(media.AdvertisedAddress, out var advertised) || ConfigSyntax.IsWildcard(advertised)))
        {
            problems.Add(new("Media.AdvertisedAddress", $"'{media.AdvertisedAddress}' is not a specific IP address"));
        }

        var range = media.PortRange;
        if (range.Min is < 1024 or > 65535)
        {
            problems.Add(new("Media.PortRange.Min", "must be 1024-65535"));
        }

        if (range.Max is < 1024 or > 65535)
        {
            problems.Add(new("Media.PortRange.Max", "must be 1024-65535"));
        }
        else if (range.Max - range.Min + 1 < 4)
        {
            // One call needs an RTP/RTCP pair per leg: four ports at the least.
            problems.Add(new("Media.PortRange", $"{range.Min}-{range.Max} must be a range of at least 4 ports with Min < Max"));
        }

        if (!Enum.IsDefined(media.SrtpMode))
        {
            problems.Add(new("Media.SrtpMode", "must be rekey or passthrough"));
        }

        if (media.InactivityTimeoutSeconds < 5)
        {
            problems.Add(new("Media.InactivityTimeoutSeconds", "must be at least 5"));
        }
    }

    private static void ValidateTimers(TimersOptions timers, List<ConfigProblem> problems)
    {
        // Below 50 ms retransmissions would flood a healthy network; above 10 s Timer B (64·T1) exceeds ten minutes.
        if (timers.T1Milliseconds is < 50 or > 10000)
        {
            problems.Add(new("Timers.T1Milliseconds", "must be 50-10000"));
        }

        if (timers.T2Milliseconds < timers.T1Milliseconds || timers.T2Milliseconds > 60000)
        {
            problems.Add(new("Timers.T2Milliseconds", "must be at least T1 and at most 60000"));
        }

        if (timers.T4Milliseconds is < 1 or > 60000)
        {
            problems.Add(new("Timers.T4Milliseconds", "must be 1-60000"));
        }
    }

    private static void ValidateLimits(LimitsOptions limits, List<ConfigProblem> problems)
    {
        // 65535: the largest UDP payload; a stream message larger than any datagram could not be relayed to UDP.
        if (limits.MaxMessageBytes is < 1024 or > 65535)
        {
            problems.Add(new("Limits.MaxMessageBytes", "must be 1024-65535"));
        }

        Positive("Limits.MaxConnectionsPerIp", limits.MaxConnectionsPerIp);
        Positive("Limits.PartialMessageSeconds", limits.PartialMessageSeconds);
        Positive("Limits.IdleConnectionSeconds", limits.IdleConnectionSeconds);
        Positive("Limits.AuthFailuresBeforeBan", limits.AuthFailuresBeforeBan);
        Positive("Limits.BanSeconds", limits.BanSeconds);
        if (limits.RequestsPerSecondPerIp is < 1 or > 1_000_000)
        {
            problems.Add(new("Limits.RequestsPerSecondPerIp", "must be 1-1000000"));
        }

        if (limits.RequestBurstPerIp is < 1 or > 1_000_000)
        {
            problems.Add(new("Limits.RequestBurstPerIp", "must be 1-1000000"));
        }

        void Positive(string key, int value)
        {
            if (value < 1)
            {
                problems.Add(new(key, "must be at least 1"));
            }
        }
    }

    private static void ValidateSip(SipOptions sip, List<ConfigProblem> problems)
    {
        // RFC 3261 §20.35/§20.41: product tokens and comments, one header line; printable ASCII keeps it one line.
        var userAgent = sip.UserAgent ?? "";
        if (userAgent.Length > SipOptions.MaxUserAgentLength)
        {
            problems.Add(new("Sip.UserAgent", $"must be at most {SipOptions.MaxUserAgentLength} characters"));
        }
        else if (userAgent.Any(c => c is < ' ' or > '~') || (userAgent.Length > 0 && userAgent.Trim() != userAgent))
        {
            problems.Add(new("Sip.UserAgent", "must be printable ASCII without leading or trailing spaces"));
        }
    }

    private static void ValidateStorage(StorageOptions storage, List<ConfigProblem> problems)
    {
        if (!Enum.IsDefined(storage.Provider))
        {
            problems.Add(new("Storage.Provider", "must be sqlite or postgresql"));
        }

        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            problems.Add(new("Storage.ConnectionString", "required"));
        }

        if (storage.RetentionDays < 1)
        {
            problems.Add(new("Storage.RetentionDays", "must be at least 1"));
        }
    }
}
