using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TwitterStream.Tests.Simulator;

public sealed class RulesEndpointTests
{
    private const string Rules = "/2/tweets/search/stream/rules";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(SimulatorHost sim, object body, string query = "")
    {
        using var response = await sim.Client.PostAsJsonAsync(Rules + query, body, Ct);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        return (response.StatusCode, json);
    }

    private static async Task<JsonElement> GetAsync(SimulatorHost sim, string query = "") =>
        JsonDocument.Parse(await sim.Client.GetStringAsync(Rules + query, Ct)).RootElement.Clone();

    [Fact]
    public async Task Added_rules_get_ids_tags_and_a_summary_and_are_listed()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var (status, body) = await PostAsync(sim, new { add = new[] { new { value = "cat has:hashtags", tag = "cats" }, new { value = "dog", tag = "dogs" } } });

        Assert.Equal(HttpStatusCode.OK, status);
        var data = body.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["cats", "dogs"], data.Select(r => r.GetProperty("tag").GetString()));
        Assert.All(data, r => Assert.Matches("^[0-9]{1,19}$", r.GetProperty("id").GetString()));
        var summary = body.GetProperty("meta").GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("created").GetInt32());
        Assert.Equal(0, summary.GetProperty("not_created").GetInt32());

        var listed = await GetAsync(sim);
        Assert.Equal(2, listed.GetProperty("meta").GetProperty("result_count").GetInt32());
        Assert.Equal(["cat has:hashtags", "dog"], listed.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("value").GetString()));

        var one = await GetAsync(sim, "?ids=" + data[1].GetProperty("id").GetString());
        Assert.Equal("dog", Assert.Single(one.GetProperty("data").EnumerateArray()).GetProperty("value").GetString());
    }

    [Fact]
    public async Task Deleting_by_id_removes_the_rule_and_reports_unknown_ids()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var ids = await sim.AddRulesAsync(("cat", "cats"), ("dog", "dogs"));

        var (status, body) = await PostAsync(sim, new { delete = new { ids = new[] { ids[0], "123" } } });

        Assert.Equal(HttpStatusCode.OK, status);
        var summary = body.GetProperty("meta").GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("deleted").GetInt32());
        Assert.Equal(1, summary.GetProperty("not_deleted").GetInt32());
        Assert.Equal("123", body.GetProperty("errors")[0].GetProperty("id").GetString());
        Assert.Equal([ids[1]], (await GetAsync(sim)).GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Delete_all_empties_the_rule_set()
    {
        await using var sim = await SimulatorHost.StartAsync();
        await sim.AddRulesAsync(("cat", "cats"), ("dog", "dogs"));
        var (_, body) = await PostAsync(sim, new { }, "?delete_all=true");
        Assert.Equal(2, body.GetProperty("meta").GetProperty("summary").GetProperty("deleted").GetInt32());
        Assert.Equal(0, (await GetAsync(sim)).GetProperty("meta").GetProperty("result_count").GetInt32());
    }

    [Fact]
    public async Task A_dry_run_validates_without_saving()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var (status, body) = await PostAsync(sim, new { add = new[] { new { value = "cat", tag = "cats" } } }, "?dry_run=true");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("meta").GetProperty("summary").GetProperty("valid").GetInt32());
        Assert.Equal(0, (await GetAsync(sim)).GetProperty("meta").GetProperty("result_count").GetInt32());

        var (badStatus, bad) = await PostAsync(sim, new { add = new[] { new { value = "(cat", tag = "x" } } }, "?dry_run=true");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal(1, bad.GetProperty("meta").GetProperty("summary").GetProperty("invalid").GetInt32());
    }

    [Fact]
    public async Task An_invalid_rule_is_rejected_with_details_and_nothing_is_created()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var (status, body) = await PostAsync(sim, new { add = new[] { new { value = "cat", tag = "ok" }, new { value = "-dog", tag = "bad" } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("UnprocessableEntity", error.GetProperty("title").GetString());
        Assert.Equal("-dog", error.GetProperty("value").GetString());
        Assert.Contains("non-negation", error.GetProperty("details")[0].GetString());
        var summary = body.GetProperty("meta").GetProperty("summary");
        Assert.Equal(0, summary.GetProperty("created").GetInt32());
        Assert.Equal(1, summary.GetProperty("invalid").GetInt32());
        Assert.Equal(0, (await GetAsync(sim)).GetProperty("meta").GetProperty("result_count").GetInt32());
    }

    [Fact]
    public async Task A_duplicate_rule_is_reported_with_the_existing_id_and_not_created_again()
    {
        await using var sim = await SimulatorHost.StartAsync();
        var ids = await sim.AddRulesAsync(("cat", "cats"));
        var (status, body) = await PostAsync(sim, new { add = new[] { new { value = "cat", tag = "again" }, new { value = "dog", tag = "dogs" } } });

        Assert.Equal(HttpStatusCode.OK, status);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("DuplicateRule", error.GetProperty("title").GetString());
        Assert.Equal(ids[0], error.GetProperty("id").GetString());
        Assert.Equal(1, body.GetProperty("meta").GetProperty("summary").GetProperty("created").GetInt32());
        Assert.Equal(2, (await GetAsync(sim)).GetProperty("meta").GetProperty("result_count").GetInt32());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"add\":[]}")]
    [InlineData("{\"add\":[{\"tag\":\"no value\"}]}")]
    [InlineData("not json")]
    public async Task A_malformed_request_gets_xs_invalid_request(string body)
    {
        await using var sim = await SimulatorHost.StartAsync();
        using var response = await sim.Client.PostAsync(Rules, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Invalid Request", json.RootElement.GetProperty("title").GetString());
    }
}
