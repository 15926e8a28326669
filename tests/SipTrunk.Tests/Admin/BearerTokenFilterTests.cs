using System.Net;
using System.Text.Json;

namespace SipTrunk.Tests.Admin;

public sealed class BearerTokenFilterTests : IAsyncLifetime
{
    private const string Token = "s3cret-admin-token";
    private AdminTestServer _admin = null!;

    public async Task InitializeAsync() => _admin = await AdminTestServer.StartAsync(Token);

    public async Task DisposeAsync() => await _admin.DisposeAsync();

    [Theory]
    [InlineData("/api/calls")]
    [InlineData("/api/calls/active")]
    [InlineData("/api/calls/r1")]
    [InlineData("/api/registrations")]
    [InlineData("/api/carriers")]
    public async Task Api_NoToken_401ProblemWithBearerChallenge(string path)
    {
        using var response = await _admin.GetAsync(path, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, body.RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("s3cret-admin-token-and-more")]
    [InlineData("s3cret-admin-toke")]
    public async Task Api_WrongToken_401InvalidToken(string token)
    {
        using var response = await _admin.GetAsync("/api/carriers", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_OtherScheme_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/carriers");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String("admin:s3cret-admin-token"u8.ToArray()));

        using var response = await _admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/carriers")]
    [InlineData("/api/calls/active")]
    [InlineData("/api/calls?limit=5")]
    [InlineData("/api/registrations")]
    public async Task Api_RightToken_200(string path)
    {
        using var response = await _admin.GetAsync(path, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Api_SchemeInLowerCase_Accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/carriers");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + Token);

        using var response = await _admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    [InlineData("/")]
    [InlineData("/assets/dashboard.js")]
    public async Task OpenEndpoints_NoToken_NotChallenged(string path)
    {
        using var response = await _admin.GetAsync(path, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
