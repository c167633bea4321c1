using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TwitterStream.Contracts;

namespace TwitterStream.Tests.Simulator;

/// <summary>X's batch compliance as the simulator serves it: the job's life, its URLs, its results, one job at a time.</summary>
public sealed class ComplianceJobTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> CreateAsync(SimulatorHost sim, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await sim.Client.PostAsJsonAsync(XApiPaths.ComplianceJobs, new { type = "tweets", name = "test" }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> GetAsync(SimulatorHost sim, string id) =>
        JsonDocument.Parse(await sim.Client.GetStringAsync(XCompliance.JobPath(id), Ct)).RootElement.GetProperty(XCompliance.Data);

    private static async Task<HttpStatusCode> UploadAsync(string url, params string[] ids)
    {
        using var plain = new HttpClient(); // a pre-signed URL: no bearer
        using var response = await plain.PutAsync(url, new StringContent(string.Join('\n', ids) + "\n", Encoding.UTF8, "text/plain"), Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_job_goes_created_in_progress_complete_and_its_download_names_exactly_the_marked_ids()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sim = await SimulatorHost.StartAsync(time, ("PostsPerSecond", "0"), ("Compliance:ProcessingSeconds", "10"));
        using (var marks = await sim.Client.PostAsJsonAsync(XCompliance.SimulatorControls.MarksPath, new Dictionary<string, string> { ["111"] = "deleted", ["333"] = "protected" }, Ct))
        {
            marks.EnsureSuccessStatusCode();
        }

        var job = (await CreateAsync(sim)).GetProperty(XCompliance.Data);
        var id = job.GetProperty(XCompliance.Id).GetString()!;
        Assert.Equal(XCompliance.Created, job.GetProperty(XCompliance.Status).GetString());
        Assert.Equal(XCompliance.TweetsType, job.GetProperty(XCompliance.Type).GetString());
        var uploadUrl = job.GetProperty(XCompliance.UploadUrl).GetString()!;
        var downloadUrl = job.GetProperty(XCompliance.DownloadUrl).GetString()!;
        Assert.StartsWith(sim.Client.BaseAddress!.ToString().TrimEnd('/'), uploadUrl, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await UploadAsync(uploadUrl, "111", "222", "333", "444"));
        Assert.Equal(XCompliance.InProgress, (await GetAsync(sim, id)).GetProperty(XCompliance.Status).GetString());
        using (var plain = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.NotFound, (await plain.GetAsync(downloadUrl, Ct)).StatusCode); // nothing before complete
        }

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(XCompliance.Complete, (await GetAsync(sim, id)).GetProperty(XCompliance.Status).GetString());
        using var storage = new HttpClient();
        var lines = (await storage.GetStringAsync(downloadUrl, Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(["111", "333"], lines.Select(l => l.GetProperty(XCompliance.Id).GetString()).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.Equal(XCompliance.DeleteAction, l.GetProperty(XCompliance.Action).GetString()));
        Assert.Equal("protected", lines.Single(l => l.GetProperty(XCompliance.Id).GetString() == "333").GetProperty(XCompliance.Reason).GetString());
        Assert.All(lines, l => Assert.True(l.TryGetProperty(XCompliance.RedactedAt, out _) && l.TryGetProperty(XCompliance.CreatedAt, out _)));
    }

    [Fact]
    public async Task Only_one_job_at_a_time_a_second_is_refused_until_the_first_is_done()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sim = await SimulatorHost.StartAsync(time, ("PostsPerSecond", "0"), ("Compliance:ProcessingSeconds", "5"));
        var first = (await CreateAsync(sim)).GetProperty(XCompliance.Data);

        var refused = await CreateAsync(sim, HttpStatusCode.BadRequest);
        Assert.Contains("already an active compliance job", refused.GetRawText(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await UploadAsync(first.GetProperty(XCompliance.UploadUrl).GetString()!, "1"));
        await CreateAsync(sim, HttpStatusCode.BadRequest);
        time.Advance(TimeSpan.FromSeconds(5));
        await CreateAsync(sim);
    }

    [Fact]
    public async Task A_job_armed_to_fail_fails_and_serves_no_results_and_an_unuploaded_job_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var sim = await SimulatorHost.StartAsync(time, ("PostsPerSecond", "0"), ("Compliance:ProcessingSeconds", "1"), ("Compliance:Share", "1"));
        using (var fail = await sim.Client.PostAsync(XCompliance.SimulatorControls.FailPath + "?jobs=1", null, Ct))
        {
            fail.EnsureSuccessStatusCode();
        }

        var failing = (await CreateAsync(sim)).GetProperty(XCompliance.Data);
        await UploadAsync(failing.GetProperty(XCompliance.UploadUrl).GetString()!, "1", "2");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(XCompliance.Failed, (await GetAsync(sim, failing.GetProperty(XCompliance.Id).GetString()!)).GetProperty(XCompliance.Status).GetString());
        using var storage = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await storage.GetAsync(failing.GetProperty(XCompliance.DownloadUrl).GetString()!, Ct)).StatusCode);

        var abandoned = (await CreateAsync(sim)).GetProperty(XCompliance.Data);
        time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(XCompliance.Expired, (await GetAsync(sim, abandoned.GetProperty(XCompliance.Id).GetString()!)).GetProperty(XCompliance.Status).GetString());
        Assert.Equal(HttpStatusCode.Forbidden, await UploadAsync(abandoned.GetProperty(XCompliance.UploadUrl).GetString()!, "1"));
        await CreateAsync(sim); // an expired job no longer blocks a new one
    }

    [Fact]
    public async Task The_share_picks_the_same_ids_for_the_same_seed_and_other_ids_for_another_seed()
    {
        var ids = Enumerable.Range(1, 2000).Select(i => (1_800_000_000_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        async Task<string[]> MarkedAsync(int seed)
        {
            await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "0"), ("Seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Compliance:Share", "0.1"), ("Compliance:ProcessingSeconds", "0"));
            var job = (await CreateAsync(sim)).GetProperty(XCompliance.Data);
            await UploadAsync(job.GetProperty(XCompliance.UploadUrl).GetString()!, ids);
            using var storage = new HttpClient();
            var lines = (await storage.GetStringAsync(job.GetProperty(XCompliance.DownloadUrl).GetString()!, Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return [.. lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty(XCompliance.Id).GetString()!).Order(StringComparer.Ordinal)];
        }

        var first = await MarkedAsync(7);
        var again = await MarkedAsync(7);
        var other = await MarkedAsync(8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Length, 140, 260); // 10 % of 2,000, give or take the hash's spread
    }

    [Fact]
    public async Task Creating_a_job_needs_the_bearer_token_and_type_tweets()
    {
        await using var sim = await SimulatorHost.StartAsync(("PostsPerSecond", "0"));
        using var anonymous = new HttpClient { BaseAddress = sim.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(XApiPaths.ComplianceJobs, new { type = "tweets" }, Ct)).StatusCode);
        using var users = await sim.Client.PostAsJsonAsync(XApiPaths.ComplianceJobs, new { type = "users" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, users.StatusCode);
    }
}
