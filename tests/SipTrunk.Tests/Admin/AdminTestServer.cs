using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using SipTrunk.Admin;
using SipTrunk.Configuration;
using SipTrunk.Core.Cdr;
using SipTrunk.Core.Media;

namespace SipTrunk.Tests.Admin;

/// <summary>A real <see cref="AdminServer"/> on 127.0.0.1 with a free port, over a <see cref="FakeAdminSource"/>, and a client for it.</summary>
internal sealed class AdminTestServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private AdminTestServer(AdminServer server, FakeAdminSource source, ManualTimeProvider time)
    {
        Server = server;
        Source = source;
        Time = time;
        Client = new HttpClient { BaseAddress = server.Addresses[0] };
    }

    public AdminServer Server { get; }

    public FakeAdminSource Source { get; }

    public ManualTimeProvider Time { get; }

    public HttpClient Client { get; }

    public static async Task<AdminTestServer> StartAsync(string? token = null, string urls = "http://127.0.0.1:0")
    {
        var time = new ManualTimeProvider(Now);
        var source = new FakeAdminSource(time);
        var server = new AdminServer(new AdminOptions { Urls = urls, Token = token }, source, NullLoggerFactory.Instance, time);
        await server.StartAsync(CancellationToken.None);
        return new AdminTestServer(server, source, time);
    }

    /// <summary>A GET with <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    /// <summary>A finished call record, started <paramref name="minutesAgo"/> before <see cref="Now"/>.</summary>
    public static CallRecord Record(string id, int minutesAgo, string status = "answered", string peer = "pbx-a", string carrier = "carrier-1", string to = "+441632960123")
    {
        var started = Now.AddMinutes(-minutesAgo);
        return new CallRecord
        {
            Id = id,
            CallId = $"call-{id}@10.0.0.5",
            Direction = "outbound",
            Peer = peer,
            Carrier = carrier,
            From = "<sip:pbx-a@10.0.0.5>;tag=a",
            To = $"<sip:{to}@trunk.example.net>",
            RequestUri = $"sip:{to}@127.0.0.1:5061",
            SourceAddress = "127.0.0.1:40000",
            StartedAt = started,
            RingingAt = started.AddMilliseconds(120),
            AnsweredAt = status == "answered" ? started.AddSeconds(2) : null,
            EndedAt = started.AddSeconds(62),
            DurationSeconds = status == "answered" ? 60 : null,
            Status = status,
            SipCode = status == "answered" ? 200 : 486,
            SipReason = status == "answered" ? "OK" : "Busy Here",
            EndedBy = "caller",
            EndReason = "bye",
            Attempts = [new CallRecordAttempt(carrier, started.AddMilliseconds(5), status == "answered" ? 200 : 486, "OK")],
            Tls = new CallRecordTls(new CallRecordTlsLeg("Tls13", "TLS_AES_256_GCM_SHA384", "CN=pbx-a"), new CallRecordTlsLeg("Tls13", "TLS_AES_128_GCM_SHA256", "CN=carrier-1")),
            Media = new MediaCallStats { Mode = "rekey", SrtpSuite = "AES_CM_128_HMAC_SHA1_80", PacketsIn = 3000, PacketsOut = 3001, BytesIn = 516000, BytesOut = 516172 },
        };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
    }
}
