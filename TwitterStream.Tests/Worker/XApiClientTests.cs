using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.XApi;

namespace TwitterStream.Tests.Worker;

public sealed class XApiClientTests
{
    private static readonly CancellationToken Cancel = TestContext.Current.CancellationToken;

    private static (XApiClient Client, HttpClient Http) Client(Uri baseUrl)
    {
        var http = new HttpClient { BaseAddress = baseUrl };
        return (new XApiClient(http), http);
    }

    [Fact]
    public async Task Token_exchange_posts_client_credentials_with_basic_auth_of_the_url_encoded_pair()
    {
        HttpRequestMessage? seen = null;
        string? body = null;
        var http = new HttpClient(new StubHandler(async request =>
        {
            seen = request;
            body = await request.Content!.ReadAsStringAsync();
            return Json(HttpStatusCode.OK, """{"token_type":"bearer","access_token":"AAAA%2Ftoken"}""");
        })) { BaseAddress = new Uri("https://api.x.test") };

        var token = await new XApiClient(http).ExchangeTokenAsync("key with space", "secret/+=", Cancel);

        Assert.Equal("AAAA%2Ftoken", token);
        Assert.Equal(HttpMethod.Post, seen!.Method);
        Assert.Equal("/oauth2/token", seen.RequestUri!.AbsolutePath);
        Assert.Equal("Basic", seen.Headers.Authorization!.Scheme);
        Assert.Equal("key%20with%20space:secret%2F%2B%3D", Encoding.UTF8.GetString(Convert.FromBase64String(seen.Headers.Authorization.Parameter!)));
        Assert.Equal("application/x-www-form-urlencoded", seen.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", seen.Content.Headers.ContentType.CharSet);
        Assert.Equal("grant_type=client_credentials", body);
    }

    [Fact]
    public async Task A_refused_token_exchange_is_fatal_and_does_not_echo_the_secret()
    {
        var http = new HttpClient(new StubHandler(_ => Task.FromResult(Json(HttpStatusCode.Forbidden, """{"title":"Forbidden","detail":"bad credentials"}"""))))
        {
            BaseAddress = new Uri("https://api.x.test"),
        };

        var error = await Assert.ThrowsAsync<XApiFatalException>(() => new XApiClient(http).ExchangeTokenAsync("key", "very-secret", Cancel));

        Assert.Contains("HTTP 403", error.Message, StringComparison.Ordinal);
        Assert.Contains("bad credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_answer_that_is_not_bearer_is_rejected()
    {
        var http = new HttpClient(new StubHandler(_ => Task.FromResult(Json(HttpStatusCode.OK, """{"token_type":"mac","access_token":"x"}"""))))
        {
            BaseAddress = new Uri("https://api.x.test"),
        };

        await Assert.ThrowsAsync<XApiFatalException>(() => new XApiClient(http).ExchangeTokenAsync("key", "secret", Cancel));
    }

    [Fact]
    public async Task The_bearer_token_source_exchanges_once_against_a_real_server()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var (client, http) = Client(api.BaseUrl);
        using var _ = http;
        var tokens = new BearerTokenSource(client, new WorkerOptions { ConsumerKey = ScriptedXApi.ConsumerKey, ConsumerSecretKey = ScriptedXApi.ConsumerSecret });

        Assert.Equal(ScriptedXApi.BearerToken, await tokens.GetAsync(Cancel));
        Assert.Equal(ScriptedXApi.BearerToken, await tokens.GetAsync(Cancel));
        Assert.Single(api.TokenRequests);
    }

    [Fact]
    public async Task Rule_sync_adds_the_missing_rule_deletes_its_stale_ones_and_leaves_other_tags_alone()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.AddRule("old filter", "twitterstream");
        api.AddRule("older filter", "twitterstream");
        api.AddRule("dogs", "other-worker");
        api.AddRule("birds", "");

        await Sync(api, "cats has:images");

        Assert.Equal(
            [("birds", ""), ("cats has:images", "twitterstream"), ("dogs", "other-worker")],
            api.Rules.OrderBy(rule => rule.Value));
    }

    [Fact]
    public async Task Rule_sync_changes_nothing_when_the_rule_is_already_there()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.AddRule("cats", "twitterstream");
        api.AddRule("cats", "other-worker");

        await Sync(api, "cats");

        Assert.Empty(api.RuleChanges);
        Assert.Equal(2, api.Rules.Count);
    }

    [Fact]
    public async Task A_rule_x_rejects_stops_with_x_s_reason()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.RejectAddsWith = "UnprocessableEntity";

        var error = await Assert.ThrowsAsync<XApiFatalException>(() => Sync(api, "foo:bar"));

        Assert.Contains("UnprocessableEntity", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reference to invalid field 'foo'", error.Message, StringComparison.Ordinal);
        Assert.Contains(WorkerVariables.Filter, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_calls_with_a_bad_token_are_fatal()
    {
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var (client, http) = Client(api.BaseUrl);
        using var _ = http;

        var error = await Assert.ThrowsAsync<XApiFatalException>(() => client.GetRulesAsync("wrong", Cancel));
        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
    }

    private static async Task Sync(ScriptedXApi api, string filter)
    {
        var (client, http) = Client(api.BaseUrl);
        using var _ = http;
        var options = new WorkerOptions { Filter = filter, BearerToken = ScriptedXApi.BearerToken };
        await new RuleSynchronizer(client, new BearerTokenSource(client, options), options, NullLogger<RuleSynchronizer>.Instance).SyncAsync(Cancel);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private sealed class StubHandler(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }
}
