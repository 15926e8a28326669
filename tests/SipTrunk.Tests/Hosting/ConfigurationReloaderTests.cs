using Microsoft.Extensions.Configuration;
using SipTrunk.Configuration;
using SipTrunk.Hosting;

namespace SipTrunk.Tests.Hosting;

public sealed class ConfigurationReloaderTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("SipTrunk:" + v.Key, v.Value))).Build();

    [Fact]
    public void RestartOnlyChanges_LivePartsChanged_NothingReported()
    {
        var before = Config(("Peers:0:Name", "a"), ("Routes:0:Prefix", "+44"), ("Tls:Certificate", "a.pem"), ("Routing:NumberNormalization", "e164"));
        var after = Config(("Peers:0:Name", "b"), ("Peers:1:Name", "c"), ("Routes:0:Prefix", "+33"), ("Tls:Certificate", "b.pem"), ("Routing:NumberNormalization", "none"));

        Assert.Empty(ConfigurationReloader.RestartOnlyChanges(before, after));
    }

    [Fact]
    public void RestartOnlyChanges_ListenersMediaAndTlsPolicy_EachReportedOnce()
    {
        var before = Config(("Listeners:0:Port", "5061"), ("Media:PortRange:Min", "20000"), ("Tls:HandshakeTimeoutSeconds", "5"), ("DrainSeconds", "30"));
        var after = Config(("Listeners:0:Port", "5062"), ("Listeners:1:Port", "5063"), ("Media:PortRange:Min", "21000"), ("Tls:HandshakeTimeoutSeconds", "6"), ("DrainSeconds", "30"));

        Assert.Equal(["Listeners", "Media.PortRange", "Tls.HandshakeTimeoutSeconds"], ConfigurationReloader.RestartOnlyChanges(before, after));
    }

    [Fact]
    public void Merge_NewOptions_OnlyLivePartsTaken()
    {
        var running = new SipTrunkOptions
        {
            Domain = "old.example",
            Listeners = [new ListenerOptions { Name = "peers", Port = 5061 }],
            Tls = new TlsOptions { Certificate = "old.pem", HandshakeTimeoutSeconds = 5 },
        };
        var loaded = new SipTrunkOptions
        {
            Domain = "new.example",
            Listeners = [new ListenerOptions { Name = "peers", Port = 6061 }],
            Peers = [new PeerOptions { Name = "pbx-b" }],
            Routes = [new RouteOptions { Prefix = "+1", Carriers = ["c"] }],
            Tls = new TlsOptions { Certificate = "new.pem", HandshakeTimeoutSeconds = 9 },
        };

        var merged = ConfigurationReloader.Merge(running, loaded);

        Assert.Equal("old.example", merged.Domain);
        Assert.Equal(5061, merged.Listeners[0].Port);
        Assert.Equal(5, merged.Tls.HandshakeTimeoutSeconds);
        Assert.Equal("new.pem", merged.Tls.Certificate);
        Assert.Equal("pbx-b", Assert.Single(merged.Peers).Name);
        Assert.Equal("+1", Assert.Single(merged.Routes).Prefix);
    }
}
