using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SipTrunk.Core.Cdr;
using SipTrunk.IntegrationTests.Admin;
using SipTrunk.IntegrationTests.Cli;
using SipTrunk.IntegrationTests.Media;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.IntegrationTests.Registrar;
using SipTrunk.Testing;
using SipTrunk.Testing.Peers;
using SipTrunk.Testing.Postgres;

namespace SipTrunk.IntegrationTests.Cdr;

/// <summary>
/// Issue 6's proof, once per store (SQLite and a real PostgreSQL): one of every kind of call goes through the real
/// SipTrunk — answered, failed over, busy, cancelled, refused for wrong credentials, hung up by SipTrunk for silence,
/// and an SRTP call with real audio between two baresips — and each is listed by <c>siptrunk calls</c> with the
/// status, code, attempts, who ended it and why, both TLS legs and the media counters; the CSV output parses back to
/// the same rows, <c>/api/calls</c> refuses a request without the token and returns the same records with it, and
/// <c>/metrics</c> counted the calls.
/// </summary>
public sealed partial class CallRecordEndToEndTests
{
    private const string Token = "call-records-test-token";
    private const string Stranger = "stranger";
    private const string StrangerPassword = "stranger-media-Pw-81";
    private const string AnsweredNumber = "+442071830001";
    private const string FailoverNumber = "+441632960002";
    private const string BusyNumber = "+4930901820";
    private const string CancelledNumber = "+33142685300";
    private const string SilentNumber = "+4535100900";
    private const string SrtpNumber = "+4477009001";
    private const string WrongPasswordNumber = "+4420700900";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task EveryKindOfCall_ListedWithItsOutcome_SameInJsonCsvAndApi(string provider)
    {
        await using var postgres = provider == "postgresql" ? new PostgresServer() : null;
        string? connectionString = null;
        if (postgres is not null)
        {
            await postgres.StartAsync();
            connectionString = await postgres.CreateDatabaseAsync("siptrunk_records");
        }

        await using var world = new ProxyFixture("carrier-a", "carrier-b", "carrier-c", "carrier-d", "carrier-e");
        var refusing = await world.StartCarrierAsync("carrier-a", SippScenarios.Uas503);
        var answering = await world.StartCarrierAsync("carrier-b", SippScenarios.Uas);
        var ringing = await world.StartCarrierAsync("carrier-c", SippScenarios.UasRingNoAnswer);
        var busy = await world.StartCarrierAsync("carrier-d", SippScenarios.Uas486);
        await using var srtpCarrier = await MediaHarnessTests.StartCarrierAsync(world.Pki, "carrier-e", SrtpNumber, "srtp-mand");
        var config = world.NewConfig() with
        {
            StorageProvider = provider,
            StorageConnectionString = connectionString,
            AdminToken = Token,
            InactivityTimeoutSeconds = 5,
        };
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Peers.Add(config.DigestPeer(Stranger, StrangerPassword, md5Only: true));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-a", refusing.TlsPort, priority: 1));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-b", answering.TlsPort, priority: 2));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-c", ringing.TlsPort));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-d", busy.TlsPort));
        var srtp = ProxyTestConfig.Carrier("carrier-e", srtpCarrier.TlsPort);
        srtp["Srtp"] = "require";
        config.Carriers.Add(srtp);
        config.Routes.Add(ProxyTestConfig.Route("+4420718", "carrier-b"));
        config.Routes.Add(ProxyTestConfig.Route("+44163", "carrier-a", "carrier-b"));
        config.Routes.Add(ProxyTestConfig.Route("+49", "carrier-d"));
        config.Routes.Add(ProxyTestConfig.Route("+33", "carrier-c"));
        config.Routes.Add(ProxyTestConfig.Route("+45", "carrier-b"));
        config.Routes.Add(ProxyTestConfig.Route("+4477", "carrier-e"));
        var sipTrunk = await world.StartSipTrunkAsync(config);
        var configPath = world.Directory.Combine("siptrunk.json");
        var admin = await AdminEndpoint.WaitForUrlAsync(sipTrunk, Bound);
        using var api = AdminEndpoint.Client(admin, Token);
        var countersBefore = ParseCallCounters(await api.GetStringAsync("metrics"));
        var peer = await world.StartPeerAsync();

        // The silent call waits 5 s for SipTrunk's BYE: the other calls are placed meanwhile.
        var silent = RunSippAsync(peer, SippScenarios.UacMediaTimeout, SilentNumber);
        AssertCompleted(await RunSippAsync(peer, SippScenarios.Uac, AnsweredNumber), world);
        AssertCompleted(await RunSippAsync(peer, SippScenarios.Uac, FailoverNumber), world);
        AssertCompleted(await RunSippAsync(peer, SippScenarios.UacCancel, CancelledNumber), world);
        var busyCallId = Guid.NewGuid().ToString("N") + "@pbx-a";
        await using (var direct = await SipTestPeer.ConnectAsync(world.ListenerPort, world.Pki.Peers[ProxyFixture.Peer], world.Pki.CaCertificatePath, ProxyFixture.Peer))
        {
            Assert.Equal(486, (await SipTestInvite.SendAsync(direct, BusyNumber, busyCallId))?.StatusCode);
        }

        var wrongPasswordCallId = Guid.NewGuid().ToString("N") + "@stranger";
        await using (var impostor = await SipTestPeer.ConnectAsync(world.ListenerPort, world.Pki.Peers[Stranger], world.Pki.CaCertificatePath, Stranger))
        {
            Assert.Equal(407, (await SipTestInvite.SendAsync(impostor, WrongPasswordNumber, wrongPasswordCallId, "not-" + StrangerPassword))?.StatusCode);
        }

        await RunSrtpCallAsync(world, srtpCarrier.Baresip);
        AssertCompleted(await silent, world);

        var records = await WaitForRecordsAsync(configPath, 7, world);
        var byNumber = records.ToDictionary(r => Number(r), StringComparer.Ordinal);
        Assert.Equal(7, byNumber.Count);
        AssertRecord(byNumber[AnsweredNumber], "answered", 200, "caller", "bye", "carrier-b:200");
        AssertRecord(byNumber[FailoverNumber], "answered", 200, "caller", "bye", "carrier-a:503;carrier-b:200");
        AssertRecord(byNumber[BusyNumber], "busy", 486, "callee", "486", "carrier-d:486");
        AssertRecord(byNumber[CancelledNumber], "cancelled", 487, "caller", "cancel", "carrier-c:487");
        AssertRecord(byNumber[WrongPasswordNumber], "rejected", 407, "proxy", "auth-failed", "");
        AssertRecord(byNumber[SilentNumber], "answered", 200, "proxy", "media-timeout", "carrier-b:200");
        AssertRecord(byNumber[SrtpNumber], "answered", 200, "caller", "bye", "carrier-e:200");
        Assert.Equal(busyCallId, byNumber[BusyNumber].CallId);
        Assert.Equal(wrongPasswordCallId, byNumber[WrongPasswordNumber].CallId);
        AssertTls(records);
        AssertMedia(byNumber);

        // The same rows as CSV, and through the API (which refuses a request without the token).
        AssertCsvMatches(records, await RunCliAsync(configPath, "calls", "--format", "csv"));
        using (var anonymous = AdminEndpoint.Client(admin))
        {
            using var refused = await anonymous.GetAsync("api/calls");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var page = JsonDocument.Parse(await api.GetStringAsync("api/calls?limit=100")))
        {
            var fromApi = page.RootElement.GetProperty("items").Deserialize<List<CallRecord>>(CallRecordJson.Options)!;
            Assert.Equal(
                records.Select(r => (r.Id, r.Status, r.SipCode, r.EndReason, r.Media?.PacketsIn)),
                fromApi.Select(r => (r.Id, r.Status, r.SipCode, r.EndReason, r.Media?.PacketsIn)));
        }

        // Every ended call was counted by direction and status.
        var countersAfter = ParseCallCounters(await api.GetStringAsync("metrics"));
        foreach (var (status, count) in new[] { ("answered", 4), ("busy", 1), ("cancelled", 1), ("rejected", 1) })
        {
            var key = $"direction=\"outbound\",status=\"{status}\"";
            Assert.Equal(count, countersAfter.GetValueOrDefault(key) - countersBefore.GetValueOrDefault(key));
        }
    }

    // The registered stranger (baresip, MD5 digest) calls the SRTP carrier; 2 s of audio each way, then hangs up.
    private static async Task RunSrtpCallAsync(ProxyFixture world, BaresipProcess callee)
    {
        await using var caller = await BaresipProcess.StartAsync(
            world.PeerBaresip(StrangerPassword, Stranger) with { MediaEncryption = "srtp-mand" }, CancellationToken.None);
        await caller.WaitForRegisteredAsync(MediaHarnessTests.Step);
        await caller.SendCommandAsync($"/dial sip:{SrtpNumber}@localhost");
        await caller.WaitForEventAsync("CALL_ESTABLISHED", MediaHarnessTests.Step);
        await callee.WaitForEventAsync("CALL_ESTABLISHED", MediaHarnessTests.Step);
        await caller.WaitForAudioAsync(MediaHarnessTests.Packets, MediaHarnessTests.Step);
        await callee.WaitForAudioAsync(MediaHarnessTests.Packets, MediaHarnessTests.Step);
        await caller.SendCommandAsync("/hangup");
        await caller.WaitForEventAsync("CALL_CLOSED", MediaHarnessTests.Step);
        await callee.WaitForEventAsync("CALL_CLOSED", MediaHarnessTests.Step);
    }

    private static void AssertRecord(CallRecord record, string status, int sipCode, string endedBy, string endReason, string attempts)
    {
        var what = JsonSerializer.Serialize(record, CallRecordJson.Options);
        Assert.True(
            (record.Status, record.SipCode, record.EndedBy, record.EndReason) == (status, sipCode, endedBy, endReason),
            $"expected {status} {sipCode} ended by {endedBy} ({endReason}): {what}");
        Assert.Equal(attempts, string.Join(';', record.Attempts.Select(a => $"{a.Carrier}:{a.SipCode}")));
        Assert.Equal("outbound", record.Direction);
        Assert.True(record.EndedAt >= record.StartedAt, what);
        if (status == "answered")
        {
            Assert.True(record.AnsweredAt is not null && record.DurationSeconds >= 0, what);
        }
        else
        {
            Assert.True(record.AnsweredAt is null && record.DurationSeconds is null, what);
        }
    }

    // Both legs' TLS for the calls that reached a carrier; only the peer's leg for the refused one.
    private static void AssertTls(IReadOnlyList<CallRecord> records)
    {
        foreach (var record in records)
        {
            var inbound = record.Tls?.Inbound;
            Assert.True(inbound is { Protocol: "Tls13" or "Tls12" } && !string.IsNullOrEmpty(inbound.CipherSuite), JsonSerializer.Serialize(record, CallRecordJson.Options));
            Assert.Contains(record.Peer!, inbound.PeerCertificateSubject, StringComparison.Ordinal);
            var outbound = record.Tls?.Outbound;
            if (record.Status == "rejected")
            {
                Assert.Null(outbound);
                continue;
            }

            Assert.True(outbound is { Protocol: "Tls13" or "Tls12" } && !string.IsNullOrEmpty(outbound.CipherSuite), JsonSerializer.Serialize(record, CallRecordJson.Options));
            Assert.Contains(record.Carrier!, outbound.PeerCertificateSubject, StringComparison.Ordinal);
        }
    }

    // The SRTP call carried audio both ways through the re-keying relay; the silent call carried none.
    private static void AssertMedia(Dictionary<string, CallRecord> byNumber)
    {
        var media = byNumber[SrtpNumber].Media;
        Assert.NotNull(media);
        Assert.Equal("rekey", media.Mode);
        Assert.Equal("AES_CM_128_HMAC_SHA1_80", media.SrtpSuite);
        Assert.True(media.PacketsIn >= MediaHarnessTests.Packets && media.PacketsOut >= MediaHarnessTests.Packets, JsonSerializer.Serialize(media, CallRecordJson.Options));
        Assert.True(media.BytesIn > media.PacketsIn * 160 && media.BytesOut > media.PacketsOut * 160, JsonSerializer.Serialize(media, CallRecordJson.Options));
        Assert.InRange(media.JitterMs, 0, 100);
        var silent = byNumber[SilentNumber].Media;
        Assert.True(silent is { PacketsIn: 0, PacketsOut: 0 }, JsonSerializer.Serialize(silent, CallRecordJson.Options));
        Assert.Null(byNumber[WrongPasswordNumber].Media);
    }

    // RFC 4180 back to the JSON rows: same ids in the same order, and the same values in the columns ops filter on.
    private static void AssertCsvMatches(IReadOnlyList<CallRecord> records, string csv)
    {
        var rows = Rfc4180Parser.Parse(csv);
        var header = rows[0];
        Assert.Equal(records.Count, rows.Count - 1);
        string Cell(List<string> row, string column) => row[header.IndexOf(column)];
        foreach (var (record, row) in records.Zip(rows.Skip(1)))
        {
            Assert.Equal(header.Count, row.Count);
            Assert.Equal(
                (record.Id, record.CallId, record.Status, record.SipCode.ToString(CultureInfo.InvariantCulture), record.EndedBy, record.EndReason),
                (Cell(row, "id"), Cell(row, "callId"), Cell(row, "status"), Cell(row, "sipCode"), Cell(row, "endedBy"), Cell(row, "endReason")));
            Assert.Equal(string.Join(';', record.Attempts.Select(a => $"{a.Carrier}:{a.SipCode}")), Cell(row, "attempts"));
            Assert.Equal(record.Tls?.Outbound?.CipherSuite ?? "", Cell(row, "tlsOutboundCipherSuite"));
            Assert.Equal(record.Media?.PacketsIn.ToString(CultureInfo.InvariantCulture) ?? "", Cell(row, "mediaPacketsIn"));
            Assert.Equal(record.StartedAt, DateTimeOffset.Parse(Cell(row, "startedAt"), CultureInfo.InvariantCulture));
        }
    }

    private static string Number(CallRecord record) => NumberInUri().Match(record.RequestUri ?? "").Groups[1].Value;

    private static async Task<SippResult> RunSippAsync(StunnelProcess peer, string scenario, string number)
    {
        await using var uac = await SippProcess.StartAsync(SippOptions.Client(scenario, peer.AcceptPort, calls: 1, callsPerSecond: 1) with { Service = number });
        return await uac.WaitForExitAsync(Bound);
    }

    private static void AssertCompleted(SippResult result, ProxyFixture world) =>
        Assert.True(result.ExitCode == 0 && result.Statistics.SuccessfulCalls == 1, world.Describe(result));

    private static async Task<List<CallRecord>> WaitForRecordsAsync(string configPath, int count, ProxyFixture world)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var records = JsonSerializer.Deserialize<List<CallRecord>>(await RunCliAsync(configPath, "calls", "--format", "json"), CallRecordJson.Options)!;
            if (records.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(records.Count == count, $"{records.Count} of {count} records\n{world.Describe()}");
                return records;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<string> RunCliAsync(string configPath, params string[] arguments)
    {
        var result = await ProcessRunner.RunSipTrunkAsync([.. arguments, "--config", configPath], workingDirectory: Path.GetDirectoryName(configPath), timeout: Bound);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput;
    }

    // siptrunk_calls_total{direction="…",status="…"} N → the label text and N.
    private static Dictionary<string, double> ParseCallCounters(string metrics) =>
        CallCounter().Matches(metrics).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);

    [GeneratedRegex(@"^siptrunk_calls_total\{([^}]*)\} (\S+)$", RegexOptions.Multiline)]
    private static partial Regex CallCounter();

    [GeneratedRegex(@"^sips?:(\+?\d+)@")]
    private static partial Regex NumberInUri();
}
