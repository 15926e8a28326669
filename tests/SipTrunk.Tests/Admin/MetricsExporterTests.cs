using System.Reflection;
using SipTrunk.Admin;
using SipTrunk.Core.Diagnostics;

namespace SipTrunk.Tests.Admin;

public sealed class MetricsExporterTests
{
    private static readonly DateTimeOffset Now = AdminTestServer.Now;
    private readonly FakeAdminSource _source = new(new ManualTimeProvider(Now));

    [Fact]
    public void Render_EveryLabeledCounterOfSipTrunkMetrics_IsACounterFamily()
    {
        var counters = typeof(SipTrunkMetrics).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(LabeledCounter))
            .Select(p => (LabeledCounter)p.GetValue(_source.Metrics)!)
            .ToList();

        var text = PrometheusText.Parse(MetricsExporter.Render(_source, Now));

        Assert.NotEmpty(counters);
        Assert.All(counters, c => Assert.Equal(("counter", c.Help), text.Families[c.Name]));
    }

    [Fact]
    public void Render_Always_HasTheContractFamilies()
    {
        var text = PrometheusText.Parse(MetricsExporter.Render(_source, Now));

        Assert.Equal("gauge", text.Families["siptrunk_calls_active"].Type);
        Assert.Equal("counter", text.Families["siptrunk_calls_total"].Type);
        Assert.Equal("counter", text.Families["siptrunk_sip_requests_total"].Type);
        Assert.Equal("counter", text.Families["siptrunk_tls_handshake_failures_total"].Type);
        Assert.Equal("gauge", text.Families["siptrunk_registrations_active"].Type);
        Assert.Equal("gauge", text.Families["siptrunk_carrier_up"].Type);
        Assert.Equal("gauge", text.Families["siptrunk_certificate_expiry_seconds"].Type);
        Assert.Equal("counter", text.Families["siptrunk_media_packets_total"].Type);
    }

    [Fact]
    public void Render_CountersAndGauges_ValuesAndLabels()
    {
        _source.Metrics.TlsHandshakeFailures.Increment("untrusted-certificate");
        _source.Metrics.MediaPackets.Add("in", 1500);
        _source.Metrics.MediaPackets.Add("out", 1499);
        _source.Bindings.Add(new Core.Registrar.RegistrarBinding { Peer = "pbx-a", Aor = "sip:a@x", ContactUri = "sip:a@10.0.0.5", ExpiresAt = Now.AddMinutes(5), CallId = "c", CSeq = 1, UpdatedAt = Now });
        _source.CarrierList.Add(new CarrierStatus("carrier-1", "sips:127.0.0.1:5081", 1, 100, "up", true, true, 0, Now));
        _source.CarrierList.Add(new CarrierStatus("carrier-2", "sips:127.0.0.1:5082", 2, 100, "down", false, true, 3, Now));
        _source.CertificateList.Add(new CertificateExpiry("server", "CN=localhost", Now.AddDays(30)));
        _source.CertificateList.Add(new CertificateExpiry("ca:old", "CN=old", Now.AddSeconds(-10)));

        var text = PrometheusText.Parse(MetricsExporter.Render(_source, Now));

        Assert.Equal(1, text.Value("siptrunk_tls_handshake_failures_total", ("reason", "untrusted-certificate")));
        Assert.Equal(1500, text.Value("siptrunk_media_packets_total", ("direction", "in")));
        Assert.Equal(1, text.Value("siptrunk_registrations_active"));
        Assert.Equal(1, text.Value("siptrunk_carrier_up", ("carrier", "carrier-1")));
        Assert.Equal(0, text.Value("siptrunk_carrier_up", ("carrier", "carrier-2")));
        Assert.Equal(1, text.Value("siptrunk_carrier_health_state", ("carrier", "carrier-2"), ("state", "down")));
        Assert.Equal(0, text.Value("siptrunk_carrier_health_state", ("carrier", "carrier-2"), ("state", "up")));
        Assert.Equal(30 * 86400, text.Value("siptrunk_certificate_expiry_seconds", ("certificate", "server")));
        Assert.Equal(-10, text.Value("siptrunk_certificate_expiry_seconds", ("certificate", "ca:old")));
        Assert.Equal(1, text.Value("siptrunk_listener_up", ("listener", "peers"), ("transport", "tls")));
    }

    [Fact]
    public void Render_LabelValueWithQuoteBackslashAndNewline_RoundTrips()
    {
        const string Name = "carrier \"A\"\\east\nline";
        _source.CarrierList.Add(new CarrierStatus(Name, "sips:127.0.0.1:5081", 1, 100, "unknown", true, false, 0, null));

        var rendered = MetricsExporter.Render(_source, Now);
        var text = PrometheusText.Parse(rendered);

        Assert.Contains("carrier=\"carrier \\\"A\\\"\\\\east\\nline\"", rendered, StringComparison.Ordinal);
        Assert.Equal(1, text.Value("siptrunk_carrier_up", ("carrier", Name)));
    }
}
