using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;

namespace TwitterStream.Tests.Worker;

/// <summary>
/// Feeds the corpus of filtered-stream lines in X's documented shapes (Fixtures/x-filtered-stream-lines.ndjson, each
/// line's source named there) through the real worker and checks every stored item field by field.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class XStreamCorpusTests(DynamoDbLocalFixture dynamo)
{
    private static IReadOnlyList<string> CorpusLines() =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Worker", "Fixtures", "x-filtered-stream-lines.ndjson"))
            .Where(line => !line.StartsWith('#'))];

    [Fact]
    public async Task Every_corpus_line_is_read_as_X_means_it_and_stored_field_by_field()
    {
        var lines = CorpusLines();
        Assert.Contains("", lines); // keep-alives are part of the corpus
        await using var api = await ScriptedXApi.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        api.EnqueueStream(new StreamScript(Lines: lines));
        await using var worker = await InProcessWorker.StartAsync(api, dynamo);

        // Nine posts, one for untagged rules only (received, not kept); the closing error object makes the worker reconnect.
        var stats = await worker.WaitForStatsAsync(s => s.Stored == 8 && s.Reconnects >= 1, "8 posts stored and a reconnect");
        Assert.Equal(9, stats.Received);
        Assert.Equal(8, stats.Kept);
        Assert.Equal(0, stats.Rejected);

        var items = (await InProcessWorker.ScanAsync(dynamo, worker.TableName)).ToDictionary(item => item[PostsTableSchema.Id].S);
        Assert.Equal(8, items.Count);
        Assert.DoesNotContain("1460323737035677698", items.Keys);
        Assert.All(items.Values, item => Assert.Equal([StreamLines.DefaultRuleTag], Strings(item, PostsTableSchema.Rules)));

        var quickstart = items["1234567890"];
        Assert.Equal("catperson", quickstart[PostsTableSchema.PartitionKey].S);
        Assert.Equal("2024-01-15T10:35:00.000Z#1234567890", quickstart[PostsTableSchema.SortKey].S);
        Assert.Equal("Look at this cute cat!", quickstart[PostsTableSchema.Text].S);
        Assert.Equal("9876543210", quickstart[PostsTableSchema.AuthorId].S);
        Assert.Equal("Cat Person", quickstart[PostsTableSchema.AuthorName].S);
        Assert.False(quickstart[PostsTableSchema.LongPost].BOOL);
        AssertAbsent(quickstart, PostsTableSchema.Lang, PostsTableSchema.ConversationId, PostsTableSchema.Referenced,
            PostsTableSchema.Hashtags, PostsTableSchema.Mentions, PostsTableSchema.Urls, PostsTableSchema.PossiblySensitive);

        var reply = items["1307025659294674945"];
        Assert.Equal("TwitterDev", reply[PostsTableSchema.PartitionKey].S);
        Assert.Equal("2020-09-18T18:36:15.000Z", reply[PostsTableSchema.CreatedAt].S);
        Assert.Equal("Here’s an article that highlights the updates in the new Tweet payload v2 https://t.co/oeF3ZHeKQQ", reply[PostsTableSchema.Text].S);
        Assert.Equal("en", reply[PostsTableSchema.Lang].S);
        Assert.Equal("1304102743196356610", reply[PostsTableSchema.ConversationId].S);
        Assert.Equal([("replied_to", "1304102743196356610")], References(reply));
        Assert.Equal(["https://dev.to/twitterdev/understanding-the-new-tweet-payload-in-the-twitter-api-v2-1fg5"], Strings(reply, PostsTableSchema.Urls));
        Assert.Equal("Twitter Dev", reply[PostsTableSchema.AuthorName].S);
        // Sent by X but not selected: not stored.
        AssertAbsent(reply, PostsTableSchema.PossiblySensitive, PostsTableSchema.InReplyToUserId, PostsTableSchema.AuthorVerified,
            PostsTableSchema.Hashtags, PostsTableSchema.Mentions);

        var edited = items["1582116602950057984"];
        Assert.Equal("2022-10-17T20:42:12.000Z#1582116602950057984", edited[PostsTableSchema.SortKey].S);
        Assert.Equal(["TwitterAPI"], Strings(edited, PostsTableSchema.Hashtags));
        Assert.Equal("1582116538399813632", edited[PostsTableSchema.ConversationId].S);

        var media = items["1260294888811347969"];
        Assert.Equal("Twitter", media[PostsTableSchema.PartitionKey].S);
        Assert.Equal("Don’t miss the Tweets about your Tweet. \n\nNow on iOS via @Twitter #iOSapp https://t.co/oanjZfzC6y", media[PostsTableSchema.Text].S);
        Assert.Equal(["Twitter"], Strings(media, PostsTableSchema.Mentions));
        Assert.Equal(["iOSapp"], Strings(media, PostsTableSchema.Hashtags));
        Assert.Equal("1260294888811347969", media[PostsTableSchema.ConversationId].S);

        var emptyTag = items["1460323737035677699"];
        Assert.Equal("Retweets, quotes and replies all come through one connection", emptyTag[PostsTableSchema.Text].S);

        var partialError = items["1445880548472328192"];
        Assert.Equal("RT @deleted_user: this one is gone", partialError[PostsTableSchema.Text].S);
        Assert.Equal([("retweeted", "1445880000000000000")], References(partialError));

        var longPost = items["1630000000000000001"];
        Assert.True(longPost[PostsTableSchema.LongPost].BOOL);
        Assert.StartsWith("Long posts are here.", longPost[PostsTableSchema.Text].S);
        Assert.EndsWith("@TwitterDev is mentioned at the very end.", longPost[PostsTableSchema.Text].S);
        Assert.True(longPost[PostsTableSchema.Text].S.Length > XLongPosts.ShortLength);
        Assert.Equal(["LongPosts", "hashtags"], Strings(longPost, PostsTableSchema.Hashtags));
        Assert.Equal(["TwitterDev"], Strings(longPost, PostsTableSchema.Mentions));
        AssertAbsent(longPost, PostsTableSchema.Urls); // the cut text's link is not part of the whole text

        var quote = items["1700000000000000001"];
        Assert.Equal("yuki_sato", quote[PostsTableSchema.PartitionKey].S);
        Assert.Equal("佐藤ゆき 🐈", quote[PostsTableSchema.AuthorName].S);
        Assert.Equal("東京の猫がラーメンを見ている #東京 https://t.co/Qt1", quote[PostsTableSchema.Text].S);
        Assert.Equal("ja", quote[PostsTableSchema.Lang].S);
        Assert.Equal(["東京"], Strings(quote, PostsTableSchema.Hashtags));
        Assert.Equal([("quoted", "1307025659294674945")], References(quote));
        Assert.Equal(["https://twitter.com/TwitterDev/status/1307025659294674945"], Strings(quote, PostsTableSchema.Urls));
    }

    private static List<string> Strings(Dictionary<string, AttributeValue> item, string name) => [.. item[name].L.Select(value => value.S)];

    private static List<(string, string)> References(Dictionary<string, AttributeValue> item) =>
        [.. item[PostsTableSchema.Referenced].L.Select(r => (r.M[PostsTableSchema.ReferenceType].S, r.M[PostsTableSchema.ReferenceId].S))];

    private static void AssertAbsent(Dictionary<string, AttributeValue> item, params string[] names) =>
        Assert.All(names, name => Assert.False(item.ContainsKey(name), $"{name} should be absent"));
}
