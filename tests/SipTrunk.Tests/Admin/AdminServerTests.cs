using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Admin;
using SipTrunk.Configuration;
using SipTrunk.Core.Proxy;
using SipTrunk.Core.Registrar;
using SipTrunk.Testing;
using SipTrunk.Testing.Pki;

namespace SipTrunk.Tests.Admin;

public sealed class AdminServerTests : IAsyncLifetime
{
    private AdminTestServer _admin = null!;

    public async Task InitializeAsync() => _admin = await AdminTestServer.StartAsync();

    public async Task DisposeAsync() => await _admin.DisposeAsync();

    [Fact]
    public async Task StartAsync_PortZero_ReportsTheBoundLoopbackPort()
    {
        var address = Assert.Single(_admin.Server.Addresses);

        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsAdminServerException()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = new AdminServer(new AdminOptions { Urls = $"http://127.0.0.1:{port}" }, _admin.Source, NullLoggerFactory.Instance, _admin.Time);

        var error = await Assert.ThrowsAsync<AdminServerException>(() => server.StartAsync(CancellationToken.None));

        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_HttpsUrl_ServesWithTheSipServerCertificate()
    {
        using var directory = new TempDirectory();
        var pki = TestPki.Create(directory.Combine("pki"));
        var tls = new TlsOptions { Certificate = pki.Server.CertificatePath, PrivateKey = pki.Server.PrivateKeyPath };
        await using var server = new AdminServer(
            new AdminOptions { Urls = "https://127.0.0.1:0" }, _admin.Source, NullLoggerFactory.Instance, _admin.Time, () => AdminServer.LoadCertificate(tls));
        await server.StartAsync(CancellationToken.None);
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(pki.CaCertificatePath);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(trust);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = server.Addresses[0] };

        using var response = await client.GetAsync("/healthz");

        Assert.Equal("https", server.Addresses[0].Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await server.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/api/carriers")]
    public async Task Get_NoTokenConfigured_200(string path)
    {
        using var response = await _admin.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task Get_LoopbackHostHeader_Served(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = host + ":8080";

        using var response = await _admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_ForeignHostHeader_400AgainstDnsRebinding()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/carriers");
        request.Headers.Host = "attacker.example:8080";

        using var response = await _admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://127.0.0.1:8080;http://[::]:8080")]
    public void AllowedHosts_WildcardAddress_NoFilter(string urls)
    {
        Assert.Null(AdminServer.AllowedHosts(new AdminOptions { Urls = urls }.UrlList));
    }

    [Fact]
    public void AllowedHosts_NamedHosts_LoopbackNamesAndThose()
    {
        Assert.Equal(
            ["localhost", "127.0.0.1", "[::1]", "admin.example.net", "[2001:db8::1]"],
            AdminServer.AllowedHosts(new AdminOptions { Urls = "https://admin.example.net:8443;http://[2001:db8::1]:8080;http://127.0.0.1:8080" }.UrlList));
    }

    [Fact]
    public async Task Healthz_Head_200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/healthz");

        using var response = await _admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_ListenersBoundAndStoreAnswers_200()
    {
        using var response = await _admin.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("127.0.0.1:5061", body.RootElement.GetProperty("listeners")[0].GetProperty("boundAddress").GetString());
    }

    [Fact]
    public async Task Readyz_StorePingFalse_503ProblemWithReason()
    {
        _admin.Source.Store.Reachable = false;

        var reasons = await NotReadyReasonsAsync();

        Assert.Equal(["the call-record store does not answer"], reasons);
    }

    [Fact]
    public async Task Readyz_StorePingThrows_503()
    {
        _admin.Source.Store.Failure = new InvalidOperationException("database is locked");

        var reasons = await NotReadyReasonsAsync();

        Assert.Equal(["the call-record store does not answer"], reasons);
    }

    [Fact]
    public async Task Readyz_NoStoreAndListenerUnbound_503WithEveryReason()
    {
        _admin.Source.HasStore = false;
        _admin.Source.ListenerList.Add(new ListenerStatus("carriers", "tls", null));

        var reasons = await NotReadyReasonsAsync();

        Assert.Equal(["listener carriers is not bound", "no call-record store is open"], reasons);
    }

    [Fact]
    public async Task Readyz_Draining_503()
    {
        _admin.Server.BeginDraining();

        var reasons = await NotReadyReasonsAsync();

        Assert.Equal(["shutting down: draining calls"], reasons);
    }

    [Fact]
    public async Task Metrics_Always_PrometheusTextWithCallsAndCounters()
    {
        _admin.Source.Calls.OnCallStarted("a", "outbound", "pbx-a");
        _admin.Source.Calls.OnCallStarted("b", "inbound", "pbx-a");
        _admin.Source.Calls.OnCallEnded(new CallSummary { CallId = "b", Direction = "inbound", Status = "busy" });
        _admin.Source.Metrics.SipRequests.Add("INVITE", 5);

        using var response = await _admin.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var samples = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, samples.Value("siptrunk_calls_active"));
        Assert.Equal(1, samples.Value("siptrunk_calls_total", ("direction", "inbound"), ("status", "busy")));
        Assert.Equal(5, samples.Value("siptrunk_sip_requests_total", ("method", "INVITE")));
    }

    [Fact]
    public async Task ApiCalls_NoFilter_NewestFirstCamelCase()
    {
        await InsertAsync(AdminTestServer.Record("r1", 30), AdminTestServer.Record("r2", 10), AdminTestServer.Record("r3", 20, "busy"));

        using var body = await GetJsonAsync("/api/calls");

        var items = body.RootElement.GetProperty("items");
        Assert.Equal(["r2", "r3", "r1"], items.EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal("call-r2@10.0.0.5", items[0].GetProperty("callId").GetString());
        Assert.Equal("2026-11-23T11:50:00+00:00", items[0].GetProperty("startedAt").GetString());
        Assert.Equal("Tls13", items[0].GetProperty("tls").GetProperty("inbound").GetProperty("protocol").GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task ApiCalls_LimitTwo_PagesThroughEveryRecordOnce()
    {
        await InsertAsync([.. Enumerable.Range(1, 5).Select(i => AdminTestServer.Record($"r{i}", i))]);
        List<string> seen = [];
        string? cursor = null;
        var pages = 0;

        do
        {
            using var body = await GetJsonAsync("/api/calls?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(body.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = body.RootElement.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(["r1", "r2", "r3", "r4", "r5"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ApiCalls_Filters_ReachTheStoreQuery()
    {
        await InsertAsync(AdminTestServer.Record("r1", 90, "busy"), AdminTestServer.Record("r2", 10, "busy"), AdminTestServer.Record("r3", 5));

        using var body = await GetJsonAsync("/api/calls?status=busy&since=1h&peer=pbx-a&carrier=carrier-1&number=1632960&until=2026-11-23T12:00:00Z");

        Assert.Equal(["r2"], body.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        var query = Assert.Single(_admin.Source.Store.Queries);
        Assert.Equal(AdminTestServer.Now.AddHours(-1), query.Since);
        Assert.Equal(AdminTestServer.Now, query.Until);
        Assert.Equal(("pbx-a", "carrier-1", "busy", "1632960", 50), (query.Peer, query.Carrier, query.Status, query.Number, query.Limit));
    }

    [Theory]
    [InlineData("since=yesterday", "since")]
    [InlineData("until=2026-13-01", "until")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("status=ringing", "status")]
    [InlineData("carier=x", "carier")]
    [InlineData("peer=a&peer=b", "peer")]
    [InlineData("since=1h&until=2h", "until")]
    public async Task ApiCalls_BadParameter_400ProblemNamingIt(string query, string parameter)
    {
        using var response = await _admin.Client.GetAsync("/api/calls?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, body.RootElement.GetProperty("status").GetInt32());
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty(parameter, out _), body.RootElement.ToString());
        Assert.Empty(_admin.Source.Store.Queries);
    }

    [Fact]
    public async Task ApiCalls_CursorTheStoreRefuses_400()
    {
        using var response = await _admin.Client.GetAsync("/api/calls?cursor=not-base64!");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cursor", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiCalls_StoreDown_503Problem()
    {
        _admin.Source.Store.Failure = new TimeoutException("no answer");

        using var response = await _admin.Client.GetAsync("/api/calls");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("no answer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiCallById_Known_200WithEveryContractField()
    {
        await InsertAsync(AdminTestServer.Record("r1", 3));

        using var body = await GetJsonAsync("/api/calls/r1");

        var names = body.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] contract = ["id", "callId", "direction", "peer", "carrier", "from", "to", "requestUri", "sourceAddress", "startedAt", "ringingAt", "answeredAt", "endedAt", "durationSeconds", "status", "sipCode", "sipReason", "endedBy", "endReason", "attempts", "tls", "media"];
        Assert.All(contract, name => Assert.Contains(name, names));
        Assert.Equal(516000, body.RootElement.GetProperty("media").GetProperty("bytesIn").GetInt64());
    }

    [Fact]
    public async Task ApiCallById_SipCallId_FindsTheRecord()
    {
        await InsertAsync(AdminTestServer.Record("r1", 3));

        using var body = await GetJsonAsync("/api/calls/" + Uri.EscapeDataString("call-r1@10.0.0.5"));

        Assert.Equal("r1", body.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task ApiCallById_Unknown_404Problem()
    {
        using var response = await _admin.Client.GetAsync("/api/calls/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Call not found", body.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ApiCallsActive_CallsInProgress_ListedOldestFirst()
    {
        _admin.Source.Calls.OnCallStarted("first@pbx", "outbound", "pbx-a");
        _admin.Time.Now = _admin.Time.Now.AddSeconds(4);
        _admin.Source.Calls.OnCallStarted("second@carrier", "inbound", "pbx-a");
        _admin.Source.Calls.OnCallAnswered("second@carrier", "inbound", "carrier-1");

        using var body = await GetJsonAsync("/api/calls/active");

        var items = body.RootElement.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal("first@pbx", items[0].GetProperty("callId").GetString());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("answeredAt").ValueKind);
        Assert.Equal("carrier-1", items[1].GetProperty("carrier").GetString());
        Assert.Equal("2026-11-23T12:00:04+00:00", items[1].GetProperty("answeredAt").GetString());
    }

    [Fact]
    public async Task ApiRegistrations_Bindings_ListedWithSecondsToExpiry()
    {
        _admin.Source.Bindings.Add(new RegistrarBinding
        {
            Peer = "pbx-a",
            Aor = "sip:pbx-a@localhost",
            ContactUri = "sip:pbx-a@10.0.0.5:5099;transport=tls",
            ExpiresAt = AdminTestServer.Now.AddSeconds(299.5),
            CallId = "reg-1",
            CSeq = 2,
            FlowId = 7,
            RemoteEndPoint = "127.0.0.1:40001",
            Transport = "tls",
            UserAgent = "baresip <script>",
            UpdatedAt = AdminTestServer.Now.AddSeconds(-1),
        });

        using var body = await GetJsonAsync("/api/registrations");

        var item = Assert.Single(body.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("sip:pbx-a@localhost", item.GetProperty("aor").GetString());
        Assert.Equal("sip:pbx-a@10.0.0.5:5099;transport=tls", item.GetProperty("contact").GetString());
        Assert.Equal(300, item.GetProperty("expires").GetInt64());
        Assert.Equal("127.0.0.1:40001", item.GetProperty("source").GetString());
        Assert.Equal("baresip <script>", item.GetProperty("userAgent").GetString());
        Assert.True(item.GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task ApiCarriers_Carriers_ListedWithHealth()
    {
        _admin.Source.CarrierList.Add(new CarrierStatus("carrier-1", "sips:127.0.0.1:5081", 1, 100, "down", false, true, 3, AdminTestServer.Now));

        using var body = await GetJsonAsync("/api/carriers");

        var item = Assert.Single(body.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("carrier-1", item.GetProperty("name").GetString());
        Assert.Equal("down", item.GetProperty("state").GetString());
        Assert.False(item.GetProperty("up").GetBoolean());
        Assert.Equal(3, item.GetProperty("consecutiveFailures").GetInt32());
    }

    [Fact]
    public async Task Root_Dashboard_HtmlWithStrictContentSecurityPolicy()
    {
        using var response = await _admin.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("assets/dashboard.js", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/assets/dashboard.js", "text/javascript")]
    [InlineData("/assets/dashboard.css", "text/css")]
    public async Task Assets_KnownFile_ServedWithItsType(string path, string mediaType)
    {
        using var response = await _admin.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Assets_UnknownFile_404()
    {
        using var response = await _admin.Client.GetAsync("/assets/secrets.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Assets_MatchingETag_304()
    {
        using var first = await _admin.Client.GetAsync("/assets/dashboard.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/dashboard.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await _admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    private async Task InsertAsync(params Core.Cdr.CallRecord[] records) =>
        await _admin.Source.Store.InsertAsync(records, CancellationToken.None);

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _admin.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(text);
    }

    private async Task<string[]> NotReadyReasonsAsync()
    {
        using var response = await _admin.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, body.RootElement.GetProperty("status").GetInt32());
        return [.. body.RootElement.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];
    }
}
