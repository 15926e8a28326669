using SipTrunk.Admin;
using SipTrunk.Core.Routing;
using SipTrunk.Core.Transport;
using SipTrunk.Sip.Uris;

namespace SipTrunk.Tests.Admin;

public sealed class CarrierStatusTests
{
    private static CarrierDefinition Carrier(string uri, TimeSpan interval) => new()
    {
        Name = "carrier-1",
        Uri = SipUri.Parse(uri),
        Transport = SipTransportKind.Tls,
        TlsServerName = "carrier-1",
        CertificateSubject = "carrier-1",
        Priority = 2,
        Weight = 30,
        HealthCheckInterval = interval,
        FailuresBeforeDown = 1,
    };

    [Fact]
    public void From_DownAfterAFailedProbe_DownAndNotUp()
    {
        var carrier = Carrier("sips:127.0.0.1:5081", TimeSpan.FromSeconds(30));
        var health = new CarrierHealth(carrier, TimeProvider.System);
        health.RecordFailure();

        var status = CarrierStatus.From(carrier, health.Snapshot());

        Assert.Equal(("carrier-1", "sips:127.0.0.1:5081", 2, 30), (status.Name, status.Uri, status.Priority, status.Weight));
        Assert.Equal(("down", false, true, 1), (status.State, status.Up, status.Monitored, status.ConsecutiveFailures));
        Assert.NotNull(status.LastChange);
    }

    [Fact]
    public void From_NotHealthChecked_UnknownButUp()
    {
        var status = CarrierStatus.From(Carrier("sips:127.0.0.1:5081", TimeSpan.Zero), null);

        Assert.Equal(("unknown", true, false), (status.State, status.Up, status.Monitored));
    }

    [Fact]
    public void From_PasswordInUri_NotShown()
    {
        var status = CarrierStatus.From(Carrier("sips:trunk:hunter2@127.0.0.1:5081", TimeSpan.Zero), null);

        Assert.DoesNotContain("hunter2", status.Uri, StringComparison.Ordinal);
        Assert.Equal("sips:127.0.0.1:5081", status.Uri);
    }
}
