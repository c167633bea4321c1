using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TwitterStream.Tests.Simulator;

public sealed class AuthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_exchange_returns_a_bearer_token_that_the_api_accepts()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var response = await sim.RequestTokenAsync(SimulatorHost.Key, SimulatorHost.Secret, "client_credentials");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("bearer", json.RootElement.GetProperty("token_type").GetString());
        var token = json.RootElement.GetProperty("access_token").GetString()!;
        Assert.StartsWith("AAAA", token);
        Assert.Equal(token, await sim.FetchTokenAsync()); // X hands out the same token until it is invalidated

        using var rules = new HttpRequestMessage(HttpMethod.Get, "/2/tweets/search/stream/rules");
        rules.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var rulesResponse = await sim.Client.SendAsync(rules, Ct);
        Assert.Equal(HttpStatusCode.OK, rulesResponse.StatusCode);
    }

    [Fact]
    public async Task Wrong_credentials_get_403_with_xs_error_99()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var response = await sim.RequestTokenAsync(SimulatorHost.Key, "not-the-secret", "client_credentials");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Equal(99, error.GetProperty("code").GetInt32());
        Assert.Equal("Unable to verify your credentials", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_grant_type_is_refused()
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var response = await sim.RequestTokenAsync(SimulatorHost.Key, SimulatorHost.Secret, grantType: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("grant_type", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Credentials_are_url_decoded_before_comparison()
    {
        await using var sim = await SimulatorHost.StartAsync(("ConsumerKey", "key with+plus/slash"), ("ConsumerSecret", "s3cr&t="));
        using var ok = await sim.RequestTokenAsync("key with+plus/slash", "s3cr&t=", "client_credentials");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic dGVzdC1rZXk6dGVzdC1zZWNyZXQ=")]
    public async Task Api_endpoints_answer_401_without_the_right_bearer(string? authorization)
    {
        await using var sim = await SimulatorHost.StartAsync();
        foreach (var path in new[] { "/2/tweets/search/stream/rules", "/2/tweets/search/stream" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = authorization is null ? null : AuthenticationHeaderValue.Parse(authorization);
            using var plain = new HttpClient { BaseAddress = sim.Client.BaseAddress };
            using var response = await plain.SendAsync(request, Ct);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("Unauthorized", json.RootElement.GetProperty("title").GetString());
            Assert.Equal(401, json.RootElement.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task A_configured_bearer_token_is_issued_and_accepted()
    {
        await using var sim = await SimulatorHost.StartAsync(("BearerToken", "AAAAconfigured"));
        Assert.Equal("AAAAconfigured", await sim.FetchTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await sim.Client.GetAsync("/2/tweets/search/stream/rules", Ct)).StatusCode);
    }
}
