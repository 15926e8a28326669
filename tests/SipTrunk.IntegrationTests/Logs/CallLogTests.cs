using System.Text.Json;

namespace SipTrunk.IntegrationTests.Logs;

/// <summary>CONTRACT.md §6 on a real run (<see cref="CallLogScenario"/>): what the log never holds, and what every call line does.</summary>
public sealed class CallLogTests(CallLogScenario scenario) : IClassFixture<CallLogScenario>
{
    // Outbound call started, answered, ended; no route; relay stream opened; relay port latched (a relay thread's line).
    private static readonly int[] CallEventIds = [3210, 3212, 3213, 3201, 5100, 5110];

    // A connection opened, connected, closed: a connection serves many calls and must not carry the first one's scope.
    private static readonly int[] ConnectionEventIds = [2004, 2005, 2006];

    [Fact]
    public void Log_AtDebugLevel_HoldsNoSecret()
    {
        Assert.Contains(scenario.Secrets, s => s.Label.EndsWith("digest response", StringComparison.Ordinal) && s.Label.StartsWith("baresip", StringComparison.Ordinal));
        Assert.Contains(scenario.Secrets, s => s.Label.StartsWith("hand-driven", StringComparison.Ordinal));
        Assert.True(scenario.Secrets.Count(s => s.Label.EndsWith("a=crypto key", StringComparison.Ordinal)) >= 4, string.Join('\n', scenario.Secrets));
        Assert.Equal(3, scenario.Secrets.Count(s => s.Label.Contains("Ha1", StringComparison.Ordinal)));
        Assert.NotEmpty(scenario.TextLog);
        Assert.NotEmpty(scenario.JsonLog);

        var logs = new[] { ("text log", scenario.TextLog), ("json log", string.Join('\n', scenario.JsonLog.Select(e => e.GetRawText()))), ("console", scenario.ConsoleOutput) };
        foreach (var (name, log) in logs)
        {
            foreach (var (label, secret) in scenario.Secrets)
            {
                Assert.False(log.Contains(secret, StringComparison.OrdinalIgnoreCase), $"the {name} holds the {label} {secret}");
            }

            Assert.DoesNotContain("inline:", log, StringComparison.Ordinal);
            Assert.DoesNotContain("response=", log, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void JsonLog_EveryLineAboutACall_CarriesCallIdAndPeer()
    {
        var events = scenario.JsonLog.Select(e => (Event: e, Properties: CallLogScenario.Properties(e))).ToList();

        // The call's own lines, relay threads' included, and every line whose text names it.
        foreach (var id in CallEventIds)
        {
            Assert.Contains(events, e => e.Properties.EventId == id);
        }

        foreach (var (logEvent, properties) in events)
        {
            var text = logEvent.GetProperty("@m").GetString() ?? "";
            var aboutACall = CallEventIds.Contains(properties.EventId)
                || text.Contains(scenario.CallId, StringComparison.Ordinal)
                || text.Contains(scenario.UnroutedCallId, StringComparison.Ordinal);
            if (aboutACall)
            {
                Assert.True(properties.CallId is not null && properties.Peer is not null, logEvent.GetRawText());
            }

            if (properties.CallId == scenario.CallId)
            {
                Assert.True(properties.Peer == CallLogScenario.CallerPeer, logEvent.GetRawText());
                Assert.True(properties.Carrier is null or "carrier-1", logEvent.GetRawText());
            }

            if (properties.CallId == scenario.UnroutedCallId)
            {
                Assert.True(properties.Peer == CallLogScenario.OtherPeer, logEvent.GetRawText());
            }

            if (ConnectionEventIds.Contains(properties.EventId))
            {
                Assert.True(properties.CallId is null, logEvent.GetRawText());
            }
        }

        // The carrier's answer arrives on the carrier's connection: its lines name the carrier too.
        Assert.Contains(events, e => e.Properties.CallId == scenario.CallId && e.Properties.Carrier == "carrier-1");
        Assert.Contains(events, e => e.Properties.CallId == scenario.UnroutedCallId && e.Properties.EventId == 3201);
    }

    [Fact]
    public void JsonLog_IsRenderedCompactJson()
    {
        var start = Assert.Single(scenario.JsonLog, e => e.GetProperty("@m").GetString()!.StartsWith("SipTrunk starting", StringComparison.Ordinal));

        Assert.Equal(JsonValueKind.String, start.GetProperty("@t").ValueKind);
        Assert.True(start.TryGetProperty("ConfigPath", out _));
    }
}
