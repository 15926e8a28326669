using System.Text.Json;
using Microsoft.Playwright;
using SipTrunk.IntegrationTests.Proxy;
using SipTrunk.Testing.Peers;
using Xunit.Abstractions;

namespace SipTrunk.IntegrationTests.Admin;

/// <summary>
/// The web dashboard in a real browser against the real <c>siptrunk run</c>: calls placed through SIPp and stunnel
/// reach the call log via the CDR writer and the SQLite store; the page asks for the admin token, lists the calls,
/// filters them and opens one. The screenshot is kept as an artifact.
/// </summary>
public sealed class DashboardTests(ITestOutputHelper output)
{
    private const string Token = "dashboard-test-token";
    private const string AnsweredNumber = "+441632960001";
    private const string CancelledNumber = "+33123456789";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dashboard_AfterRealCalls_ShowsFiltersAndOpensACall()
    {
        await using var world = new ProxyFixture("carrier-a", "carrier-b", "carrier-c");
        var refusing = await world.StartCarrierAsync("carrier-a", SippScenarios.Uas503);
        var answering = await world.StartCarrierAsync("carrier-b", SippScenarios.Uas);
        var ringing = await world.StartCarrierAsync("carrier-c", SippScenarios.UasRingNoAnswer);
        var config = world.NewConfig() with { AdminToken = Token };
        config.Peers.Add(ProxyTestConfig.Peer(ProxyFixture.Peer));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-a", refusing.TlsPort, priority: 1));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-b", answering.TlsPort, priority: 2));
        config.Carriers.Add(ProxyTestConfig.Carrier("carrier-c", ringing.TlsPort));
        config.Routes.Add(ProxyTestConfig.Route("+44", "carrier-a", "carrier-b"));
        config.Routes.Add(ProxyTestConfig.Route("+33", "carrier-c"));
        var configPath = config.Write(world.Directory.Combine("siptrunk.json"));
        await using var sipTrunk = await SipTrunkProcess.StartAsync(configPath, world.ListenerPort);
        var admin = await AdminEndpoint.WaitForUrlAsync(sipTrunk, Bound);
        var peer = await world.StartPeerAsync();

        // Three calls answered on the second carrier after the first refuses, two cancelled while ringing.
        var answered = await RunCallsAsync(peer, SippScenarios.Uac, AnsweredNumber, calls: 3);
        Assert.True(answered.ExitCode == 0, answered.Describe() + sipTrunk.Output);
        var cancelled = await RunCallsAsync(peer, SippScenarios.UacCancel, CancelledNumber, calls: 2);
        Assert.True(cancelled.ExitCode == 0, cancelled.Describe() + sipTrunk.Output);
        await WaitForRecordsAsync(admin, 5, sipTrunk);

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await page.GotoAsync(admin.ToString());

        // The token is asked for once, then kept for the tab.
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.Locator("#token-input").FillAsync(Token);
        await page.Locator("#login-form button[type=submit]").ClickAsync();
        var rows = page.Locator("#calls-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        Assert.Equal(Token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('siptrunk.adminToken')"));
        await Assertions.Expect(page.Locator("#readiness")).ToHaveTextAsync("ready");
        await Assertions.Expect(page.Locator("#carriers-table tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#active-empty")).ToBeVisibleAsync();

        // Filter by status: only the cancelled calls, then only the answered ones.
        await page.Locator("#filter select[name=status]").SelectOptionAsync("cancelled");
        await page.Locator("#filter button[type=submit]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        Assert.All(await page.Locator("#calls-table tbody tr .badge").AllTextContentsAsync(), s => Assert.Equal("cancelled", s));
        await page.Locator("#filter select[name=status]").SelectOptionAsync("answered");
        await page.Locator("#filter input[name=since]").FillAsync("1h");
        await page.Locator("#filter button[type=submit]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        Assert.All(await page.Locator("#calls-table tbody tr .badge").AllTextContentsAsync(), s => Assert.Equal("answered", s));

        // One call in full: the attempts ladder shows the failover, both TLS legs and the media.
        await rows.First.ClickAsync();
        var detail = page.Locator("#detail");
        await Assertions.Expect(detail).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#detail-title")).ToContainTextAsync(AnsweredNumber);
        var ladder = detail.Locator(".ladder li");
        await Assertions.Expect(ladder).ToHaveCountAsync(2);
        await Assertions.Expect(ladder.Nth(0)).ToContainTextAsync("carrier-a");
        await Assertions.Expect(ladder.Nth(0)).ToContainTextAsync("503");
        await Assertions.Expect(ladder.Nth(1)).ToContainTextAsync("carrier-b");
        await Assertions.Expect(ladder.Nth(1)).ToContainTextAsync("200");
        await Assertions.Expect(detail.Locator(".legs .leg").Nth(0)).ToContainTextAsync("Tls1");
        await Assertions.Expect(detail.Locator(".legs .leg").Nth(1)).ToContainTextAsync("Tls1");
        await Assertions.Expect(detail).ToContainTextAsync("Media");

        var screenshot = await SaveScreenshotAsync(page);
        output.WriteLine($"dashboard screenshot: {screenshot}");
        Assert.Empty(browser.Errors);
    }

    private static async Task<SippResult> RunCallsAsync(StunnelProcess peer, string scenario, string number, int calls)
    {
        await using var uac = await SippProcess.StartAsync(SippOptions.Client(scenario, peer.AcceptPort, calls, callsPerSecond: 5) with { Service = number });
        return await uac.WaitForExitAsync(Bound);
    }

    // The writer batches behind the signalling: poll the API (the page's own source) until every record is there.
    private static async Task WaitForRecordsAsync(Uri admin, int expected, SipTrunkProcess sipTrunk)
    {
        using var client = AdminEndpoint.Client(admin, Token);
        var deadline = DateTime.UtcNow + Bound;
        var count = 0;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("api/calls?limit=100");
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                using var page = JsonDocument.Parse(last);
                count = page.RootElement.GetProperty("items").GetArrayLength();
                if (count >= expected)
                {
                    return;
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{count} of {expected} call records after {Bound}: {last}\n{sipTrunk.Output}");
    }

    private static async Task<string> SaveScreenshotAsync(IPage page)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });

        // Also at the repository root (git-ignored), where a human looks first.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SipTrunk.sln")))
            {
                var copy = Path.Combine(directory.FullName, "artifacts", "dashboard.png");
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(path, copy, overwrite: true);
                return copy;
            }
        }

        return path;
    }
}
