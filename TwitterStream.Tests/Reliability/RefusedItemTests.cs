using System.Globalization;
using TwitterStream.Contracts;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Reliability;

/// <summary>
/// A post DynamoDB refuses for good (a <c>ValidationException</c>) amid good ones: the real worker against DynamoDB
/// Local keeps that one as a dead letter, stores every other, and never stops writing.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class RefusedItemTests(SharedDynamoDbLocal dynamo)
{
    private const int Total = 10_000;
    private const int RefusedAt = 5_000;
    private const string RefusedId = "1999999999";

    [Fact]
    public async Task An_item_DynamoDB_refuses_for_good_amid_10000_is_dead_lettered_and_the_other_9999_stored()
    {
        var lines = Enumerable.Range(0, Total)
            .Select(i => i == RefusedAt
                ? StreamLines.RefusedByDynamoDb(RefusedId, "refused_author", "the post DynamoDB refuses")
                : StreamLines.Post((1_000_000 + i).ToString(CultureInfo.InvariantCulture), $"user{i % 97}", $"post {i}"))
            .Select(line => System.Text.Encoding.UTF8.GetBytes(line))
            .ToList();
        await using var api = await ScriptedXApi.StartAsync(lines, Scenario.Token);
        var table = $"refused-{Guid.NewGuid():N}";
        using var client = dynamo.Process.CreateClient();
        await PostsTable.CreateAsync(client, table, Scenario.Token);
        await using var worker = await WorkerProcess.StartAsync(new Dictionary<string, string?>(dynamo.Process.SdkEnvironment)
        {
            [WorkerVariables.Table] = table,
            [WorkerVariables.Filter] = "post",
            [WorkerVariables.RuleTag] = StreamLines.DefaultRuleTag,
            [WorkerVariables.BearerToken] = ScriptedXApi.BearerToken,
            [WorkerVariables.XApiBaseUrl] = api.BaseUrl.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        }, Scenario.Token);

        WorkerStats counters = null!;
        await using (var samples = new Sampler<WorkerStats>(() => worker.GetCountersAsync(Scenario.Token), TimeSpan.FromMilliseconds(100)))
        {
            try
            {
                await Readiness.WaitUntilAsync(worker.Process, async () =>
                {
                    counters = await worker.GetCountersAsync(Scenario.Token);
                    return api.AllSent.IsCompleted && counters.Stored + counters.DeadLettered >= Total && counters.BufferDepth == 0;
                }, ReliabilityScale.Current.Settle, $"store or dead-letter all {Total} posts", Scenario.Token);
            }
            catch (TimeoutException)
            {
                // The assertions below say what is off.
            }

            // Writing never stopped: once the refused post was dead-lettered, the stored count went on rising to the end.
            var dead = samples.Samples.FirstOrDefault(s => s.Value.DeadLettered > 0);
            Assert.True(dead.Value is not null, $"the worker dead-lettered nothing: {counters}{Environment.NewLine}{worker.Process.RecentOutput}");
            var storedAfter = counters.Stored - dead.Value.Stored;
            Assert.True(counters.Stored == Total - 1,
                $"stored {counters.Stored} of {Total - 1} good posts ({storedAfter} after the refusal): writing stalled{Environment.NewLine}{worker.Process.RecentOutput}");

            var stored = await PostsTable.ScanAsync(client, table, Scenario.Token);
            var expected = lines.Count - 1;
            Assert.Equal(expected, stored.Count);
            Assert.DoesNotContain(stored, post => post.Id == RefusedId);
            Assert.Equal(expected, stored.Select(post => post.Id).Distinct(StringComparer.Ordinal).Count());

            var letter = Assert.Single(await DeadLetters.ReadAsync(client, table, Scenario.Token));
            Assert.Equal("refused_author", letter.PostUser);
            Assert.Equal(RefusedId, letter.String(PostsTableSchema.Id));
            Assert.Equal(1, counters.DeadLettered);
            Assert.Equal(0, counters.WriteRetries);
            await Scenario.AssertStillRunningAsync(worker);

            var longestPause = LongestPause([.. samples.Samples.Where(s => s.Value.Stored > 0)]);
            ReliabilityFigures.Record("dynamodb:refused-item", string.Create(CultureInfo.InvariantCulture,
                $"posts {Total}, one item over DynamoDB's 400 KB (post {RefusedAt + 1}; ValidationException for its batch of up to 25): dead-lettered 1 ({letter.Parts} parts, reason \"{letter.Reason}\"), stored {stored.Count}, stored after the refusal {storedAfter}, write retries {counters.WriteRetries}, longest pause in storing while posts waited {longestPause.TotalMilliseconds:0} ms"));
        }
    }

    /// <summary>The longest time between two rises of the stored count, from the first post stored to the last.</summary>
    private static TimeSpan LongestPause(IReadOnlyList<(TimeSpan At, WorkerStats Value)> samples)
    {
        var longest = TimeSpan.Zero;
        for (int i = 1, lastRise = 0; i < samples.Count; i++)
        {
            if (samples[i].Value.Stored != samples[lastRise].Value.Stored)
            {
                longest = samples[i].At - samples[lastRise].At > longest ? samples[i].At - samples[lastRise].At : longest;
                lastRise = i;
            }
        }

        return longest;
    }
}
