namespace SipTrunk.Configuration;

/// <summary>Validates <c>Peers[]</c>.</summary>
internal static class PeerOptionsValidator
{
    public static void Validate(SipTrunkOptions options, List<ConfigProblem> problems)
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Peers.Count; i++)
        {
            var peer = options.Peers[i];
            var key = $"Peers[{i}]";
            if (string.IsNullOrWhiteSpace(peer.Name))
            {
                problems.Add(new($"{key}.Name", "required"));
            }
            else if (!names.TryAdd(peer.Name, i))
            {
                problems.Add(new($"{key}.Name", $"duplicate name '{peer.Name}' (also Peers[{names[peer.Name]}])"));
            }

            if (string.IsNullOrWhiteSpace(peer.Certificate.Subject))
            {
                problems.Add(new($"{key}.Certificate.Subject", "required: the name the peer's client certificate carries"));
            }

            CheckFingerprint($"{key}.Certificate.Sha256Fingerprint", peer.Certificate.Sha256Fingerprint, problems);

            if (peer.Digest is { } digest)
            {
                ValidateDigest($"{key}.Digest", digest, options.Digest, problems);
            }

            for (var n = 0; n < peer.AllowedNetworks.Count; n++)
            {
                if (ConfigSyntax.CheckNetwork(peer.AllowedNetworks[n]) is { } reason)
                {
                    problems.Add(new($"{key}.AllowedNetworks[{n}]", reason));
                }
            }

            for (var n = 0; n < peer.Numbers.Count; n++)
            {
                var number = peer.Numbers[n];
                if (!ConfigSyntax.IsNumber(number))
                {
                    problems.Add(new($"{key}.Numbers[{n}]", $"'{number}' is not '+' and 1-15 digits, or digits only"));
                }
                else if (!numbers.TryAdd(number, key))
                {
                    // Inbound routing picks one peer by longest prefix; the same prefix twice is ambiguous.
                    problems.Add(new($"{key}.Numbers[{n}]", $"'{number}' is also claimed by {numbers[number]}"));
                }
            }

            if (!Enum.IsDefined(peer.Srtp))
            {
                problems.Add(new($"{key}.Srtp", "must be require, optional or none"));
            }

            if (peer.MaxConcurrentCalls < 1)
            {
                problems.Add(new($"{key}.MaxConcurrentCalls", "must be at least 1"));
            }

            if (peer.MaxCallsPerSecond < 1)
            {
                problems.Add(new($"{key}.MaxCallsPerSecond", "must be at least 1"));
            }

            if (peer.Uri is not null && ConfigSyntax.CheckSipUri(peer.Uri) is { } uriReason)
            {
                problems.Add(new($"{key}.Uri", uriReason));
            }
        }
    }

    public static void CheckFingerprint(string key, string? fingerprint, List<ConfigProblem> problems)
    {
        if (fingerprint is not null && !ConfigSyntax.IsSha256Fingerprint(fingerprint))
        {
            problems.Add(new(key, "must be 64 hex digits (colons allowed)"));
        }
    }

    private static void ValidateDigest(string key, PeerDigestOptions digest, DigestOptions server, List<ConfigProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(digest.Username))
        {
            problems.Add(new($"{key}.Username", "required"));
        }

        if (digest.Ha1Sha256 is not null && !ConfigSyntax.IsHex(digest.Ha1Sha256, 64))
        {
            problems.Add(new($"{key}.Ha1Sha256", "must be 64 hex digits (siptrunk passwd prints it)"));
        }

        if (digest.Ha1Md5 is not null && !ConfigSyntax.IsHex(digest.Ha1Md5, 32))
        {
            problems.Add(new($"{key}.Ha1Md5", "must be 32 hex digits (siptrunk passwd prints it)"));
        }

        var usable = server.Algorithms.Any(a =>
            (a.Equals(DigestOptions.Sha256, StringComparison.OrdinalIgnoreCase) && digest.Ha1Sha256 is not null)
            || (a.Equals(DigestOptions.Md5, StringComparison.OrdinalIgnoreCase) && digest.Ha1Md5 is not null));
        if (!usable)
        {
            problems.Add(new(key, $"needs an HA1 value for one of Digest.Algorithms ({string.Join(", ", server.Algorithms)})"));
        }
    }
}
