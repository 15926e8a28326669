using SipTrunk.Core.Cdr;
using SipTrunk.Core.Media;

namespace SipTrunk.Core.Tests.Storage;

/// <summary>Call records for the store tests.</summary>
internal static class CallRecordSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A minimal answered outbound record that started <paramref name="startSeconds"/> after <see cref="T0"/>.</summary>
    public static CallRecord Record(string id, double startSeconds = 0) => new()
    {
        Id = id,
        CallId = "call-" + id + "@pbx.example.com",
        Direction = "outbound",
        Peer = "pbx1",
        Carrier = "carrier-a",
        From = "<sip:+4930111@pbx.example.com>;tag=a",
        To = "<sip:+4940222@carrier.example.net>",
        RequestUri = "sip:+4940222@carrier.example.net",
        StartedAt = T0.AddSeconds(startSeconds),
        EndedAt = T0.AddSeconds(startSeconds + 60),
        Status = "answered",
        SipCode = 200,
    };

    /// <summary>Every field set, with values that are easy to mangle: sub-millisecond ticks, non-ASCII, quotes, odd doubles.</summary>
    public static CallRecord Full(string id) => new()
    {
        Id = id,
        CallId = "a84b4c76e66710@pc33.example.com",
        Direction = "inbound",
        Peer = "pbx-zürich",
        Carrier = "carrier \"b\"",
        From = "\"Zoë ☎\" <sip:+41441234567@carrier.example.net>;tag=1928301774",
        To = "<sip:+41449876543@siptrunk.example.com>",
        RequestUri = "sip:+41449876543@10.0.0.5:5061;transport=tls",
        SourceAddress = "203.0.113.7:5061",
        StartedAt = T0.AddTicks(1_234_567),
        RingingAt = T0.AddTicks(15_000_001),
        AnsweredAt = T0.AddSeconds(4.2),
        EndedAt = T0.AddMinutes(3).AddTicks(9),
        DurationSeconds = 175.8,
        Status = "answered",
        SipCode = 200,
        SipReason = "OK",
        EndedBy = "callee",
        EndReason = "BYE",
        Attempts =
        [
            new CallRecordAttempt("carrier-a", T0.AddTicks(1_234_567), 503, "Service Unavailable"),
            new CallRecordAttempt("carrier \"b\"", T0.AddSeconds(1.5), 200, "OK"),
        ],
        Tls = new CallRecordTls(
            new CallRecordTlsLeg("Tls13", "TLS_AES_256_GCM_SHA384", "CN=carrier.example.net, O=Carrier"),
            new CallRecordTlsLeg("Tls12", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", null)),
        Media = new MediaCallStats
        {
            Mode = "rekey",
            SrtpSuite = "AES_CM_128_HMAC_SHA1_80",
            PeerSrtpSuite = "AES_CM_128_HMAC_SHA1_80",
            CarrierSrtpSuite = "AEAD_AES_128_GCM",
            PacketsIn = 8_790,
            PacketsOut = 8_801,
            BytesIn = 1_511_880,
            BytesOut = 1_513_772,
            PacketsLost = 3,
            PacketsLostIn = 1,
            PacketsLostOut = 2,
            JitterMs = 0.1 + 0.2,
            JitterInMs = 1e-7,
            JitterOutMs = 12.345678901234567,
            AuthenticationFailures = long.MaxValue,
        },
    };
}
