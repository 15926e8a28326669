using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Core.Tests.Routing;

/// <summary>Carrier definitions for tests; only what routing and health look at varies.</summary>
internal static class TestCarriers
{
    public static CarrierDefinition Create(
        string name,
        int priority = 1,
        int weight = 100,
        TimeSpan? healthCheckInterval = null,
        int failuresBeforeDown = 3) => new()
        {
            Name = name,
            Uri = SipUri.Parse("sips:127.0.0.1:5081"),
            Transport = SipTransportKind.Tls,
            TlsServerName = name,
            CertificateSubject = name,
            Priority = priority,
            Weight = weight,
            HealthCheckInterval = healthCheckInterval ?? TimeSpan.FromSeconds(30),
            FailuresBeforeDown = failuresBeforeDown,
        };
}
