using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// dynamodb-admin as the AppHost runs it in moto mode, over a table like the one the browser check found its items page
/// stuck on: thousands of posts as the worker writes them, plus the worker's reserved items (budget, checkpoint,
/// compliance sweep, a dead letter with its binary part). The items API its page fetches answers with the rows, and its
/// next-page key continues the scan.
/// </summary>
public sealed class DynamoDbAdminOverMotoTests
{
    private const int PostCount = 3_700;
    private const int PageSize = 25;

    // A hang detector, not a speed target: over moto each Scan sorts the whole table and dynamodb-admin reads a page as
    // Scans of 10 items, so one page of this table takes about a second, more on a busy machine (README, "Run it").
    private static readonly TimeSpan PageBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_items_api_answers_with_posts_and_reserved_items_and_its_next_page_continues_the_scan()
    {
        Assert.SkipWhen(MotoServerProcess.FindOnPath() is null, MotoServerProcess.MissingReason);
        TableBrowserApp.SkipUnlessNodeIsInstalled();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        var tableName = $"admin-{Guid.NewGuid():N}";
        await using var started = await TableBrowserApp.StartAsync("moto", tableName,
            [$"Parameters:simulator-consumer-key=key-{Guid.NewGuid():N}", $"Parameters:simulator-consumer-secret=secret-{Guid.NewGuid():N}"],
            timeout.Token);
        var app = started.App;
        await app.ResourceNotifications.WaitForResourceHealthyAsync("dynamodb-admin", timeout.Token);

        using var dynamo = AwsEmulatorResourceExtensions.CreateDynamoDbClient(app.GetEndpoint("moto", "http").ToString(), LocalAwsCredentials.Region);
        var deadLetter = await FillAsync(dynamo, tableName, timeout.Token);

        using var http = new HttpClient { BaseAddress = app.GetEndpoint("dynamodb-admin", "http"), Timeout = PageBound };
        var items = $"/tables/{Uri.EscapeDataString(tableName)}/items?operationType=scan&pageSize={PageSize}";
        using var first = await GetPageAsync(http, items, timeout.Token);
        var firstRows = Rows(first);
        Assert.Equal(PageSize, firstRows.Count);

        // moto scans in key order, so the reserved partition ('#' sorts before every username) comes first.
        var reserved = firstRows.Where(r => r.GetProperty(PostsTableSchema.PartitionKey).GetString() == PostsTableSchema.ReservedPartitionKey).ToList();
        var reservedDates = reserved.Select(r => r.GetProperty(PostsTableSchema.SortKey).GetString()).ToList();
        Assert.Contains(PostsTableSchema.CheckpointSortKey, reservedDates);
        Assert.Contains(PostsTableSchema.ComplianceSweepSortKey, reservedDates);
        Assert.Contains(PostsTableSchema.BudgetSortKey("2026-12-01"), reservedDates);
        var letter = Assert.Single(reserved, r => r.GetProperty(PostsTableSchema.SortKey).GetString() == deadLetter.Key);
        // The binary part arrives as the bytes it holds (dynamodb-admin shows a Uint8Array as an object of bytes).
        var part = letter.GetProperty(DeadLetterSchema.Item);
        Assert.Equal(deadLetter.Bytes.Length, part.EnumerateObject().Count());
        Assert.Equal(deadLetter.Bytes[0], part.GetProperty("0").GetByte());
        Assert.Equal(deadLetter.Bytes[^1], part.GetProperty((deadLetter.Bytes.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).GetByte());

        var posts = firstRows.Where(r => r.GetProperty(PostsTableSchema.PartitionKey).GetString() != PostsTableSchema.ReservedPartitionKey).ToList();
        Assert.NotEmpty(posts);
        Assert.All(posts, p =>
        {
            Assert.StartsWith("post ", p.GetProperty(PostsTableSchema.Text).GetString());
            Assert.Equal("twitterstream", Assert.Single(p.GetProperty(PostsTableSchema.Rules).EnumerateArray()).GetString());
        });

        // The next page starts after the last row shown: the two pages are the table's first items in scan order, each once.
        var nextKey = first.RootElement.GetProperty("nextKey").GetString();
        Assert.False(string.IsNullOrEmpty(nextKey), "the first page of a table of thousands of items has no next-page key");
        using var second = await GetPageAsync(http, $"{items}&startKey={nextKey}&pageNum=2", timeout.Token);
        var secondRows = Rows(second);
        Assert.Equal(PageSize, secondRows.Count);
        var scanned = await dynamo.ScanAsync(new ScanRequest(tableName) { Limit = 2 * PageSize }, timeout.Token);
        Assert.Equal(
            scanned.Items.Select(i => (i[PostsTableSchema.PartitionKey].S, i[PostsTableSchema.SortKey].S)),
            firstRows.Concat(secondRows).Select(Key));
    }

    private static async Task<JsonDocument> GetPageAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private static List<JsonElement> Rows(JsonDocument page) => [.. page.RootElement.GetProperty("Items").EnumerateArray()];

    private static (string User, string Date) Key(JsonElement row) =>
        (row.GetProperty(PostsTableSchema.PartitionKey).GetString()!, row.GetProperty(PostsTableSchema.SortKey).GetString()!);

    /// <summary>Writes the posts and the reserved items; returns the dead letter's sort key and its binary part.</summary>
    private static async Task<(string Key, byte[] Bytes)> FillAsync(IAmazonDynamoDB dynamo, string tableName, CancellationToken cancellationToken)
    {
        string[] tags = ["twitterstream"];
        var requests = Enumerable.Range(0, PostCount).Select(i => new WriteRequest(new PutRequest(PostItemMapper.ToItem(new Post
        {
            Id = (1_800_000_000_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Text = $"post {i} héllo 世界 😀 #dotnet @someone https://example.com/p/{i}",
            AuthorId = $"{1_000_000 + (i % 300)}",
            Username = $"user_{i % 300}",
            AuthorName = "Zoë Müller",
            CreatedAt = PostsTableSchema.FormatTimestamp(DateTimeOffset.UnixEpoch.AddYears(56).AddSeconds(i)),
            Lang = "vi",
            ConversationId = "1",
            Hashtags = ["dotnet"],
            Mentions = ["someone"],
            Urls = [$"https://example.com/p/{i}"],
            Referenced = i % 7 == 0 ? [new ReferencedPost("replied_to", "1")] : [],
            MatchingTags = tags,
            ReceivedAt = DateTimeOffset.UnixEpoch,
        })))).ToList();

        var refused = PostItemMapper.ToItem(new Post
        {
            Id = "1999999999",
            Text = new string('x', 5_000),
            Username = "refused_author",
            CreatedAt = "2026-12-01T10:00:00.000Z",
            MatchingTags = tags,
        });
        var letter = Assert.Single(DeadLetter.Requests(refused, "Item size has exceeded the maximum allowed size", DateTimeOffset.UnixEpoch));
        requests.Add(letter);
        requests.Add(Reserved(PostsTableSchema.CheckpointSortKey, PostsTableSchema.CheckpointStoredThrough, new AttributeValue("2026-12-01T10:00:00.000Z")));
        requests.Add(Reserved(PostsTableSchema.BudgetSortKey("2026-12-01"), PostsTableSchema.BudgetPosts, new AttributeValue { N = "3700" }));
        requests.Add(Reserved(PostsTableSchema.ComplianceSweepSortKey, "state", new AttributeValue("done")));

        foreach (var batch in requests.Chunk(25))
        {
            var pending = new Dictionary<string, List<WriteRequest>> { [tableName] = [.. batch] };
            while (pending.Count > 0)
            {
                pending = (await dynamo.BatchWriteItemAsync(new BatchWriteItemRequest(pending), cancellationToken)).UnprocessedItems ?? [];
            }
        }

        var item = letter.PutRequest.Item;
        return (item[PostsTableSchema.SortKey].S, item[DeadLetterSchema.Item].B.ToArray());
    }

    private static WriteRequest Reserved(string sortKey, string attribute, AttributeValue value) => new(new PutRequest(new Dictionary<string, AttributeValue>
    {
        [PostsTableSchema.PartitionKey] = new(PostsTableSchema.ReservedPartitionKey),
        [PostsTableSchema.SortKey] = new(sortKey),
        [attribute] = value,
    }));
}
