using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;

namespace TwitterStream.Tests.Readme;

/// <summary>
/// README's dead-letter commands, as pasted, with each installed AWS CLI, against DynamoDB Local holding a dead letter
/// the worker's own code built (in several parts): listing finds it, the second command rebuilds the item the worker
/// could not store, and put-item writes it to the table.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class DeadLetterCommandTests(DynamoDbLocalFixture dynamo)
{
    private const string Marker = "<!-- readme-dead-letter-commands -->";
    private const string Reason = "Item size has exceeded the maximum allowed size";

    [Fact]
    public async Task The_readme_dead_letter_commands_find_rebuild_and_replay_a_dead_letter_with_every_installed_aws_cli()
    {
        var clis = ReadmeCommands.InstalledAwsClis();
        var commands = ReadmeCommands.Read(Marker);
        Assert.Equal(3, commands.Count);
        var token = TestContext.Current.CancellationToken;

        // Random letters barely compress, so with 3,000-byte parts the dead letter takes several.
        var random = new Random(3);
        var text = "猫 \"quoted\" " + string.Create(20_000, random, (chars, r) => { for (var i = 0; i < chars.Length; i++) { chars[i] = (char)('a' + r.Next(26)); } });
        var refused = PostItemMapper.ToItem(new Post
        {
            Id = "1999999999",
            Text = text,
            AuthorId = "42",
            Username = "refused_author",
            CreatedAt = "2024-01-15T10:35:00.000Z",
            MatchingTags = ["twitterstream"],
            Hashtags = ["cats"],
            ReceivedAt = DateTimeOffset.UnixEpoch,
        });
        var key = new Dictionary<string, AttributeValue>
        {
            [PostsTableSchema.PartitionKey] = refused[PostsTableSchema.PartitionKey],
            [PostsTableSchema.SortKey] = refused[PostsTableSchema.SortKey],
        };
        var letter = DeadLetter.Requests(refused, Reason, DateTimeOffset.UnixEpoch, partBytes: 3_000);
        Assert.True(letter.Count > 2, $"the dead letter took {letter.Count} part(s); the test means to join several");

        using var client = dynamo.CreateClient();
        await DeleteTableAsync(client);
        try
        {
            await PostsTable.CreateAsync(client, PostsTableSchema.DefaultTableName, token);
            await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [PostsTableSchema.DefaultTableName] = letter } }, token);
            foreach (var cli in clis)
            {
                using var shell = new FreshMachineShell(cli);
                var results = commands.Select(command => (command, result: shell.Run(ReadmeCommands.AtPort(command, dynamo.Port)))).ToList();
                foreach (var (command, (exitCode, _, stderr)) in results)
                {
                    Assert.True(exitCode == 0, $"{cli}: exit code {exitCode} for\n{command}\n{stderr}");
                }

                using (var listed = JsonDocument.Parse(results[0].result.Stdout))
                {
                    var items = listed.RootElement.GetProperty("Items").EnumerateArray().ToList();
                    Assert.Equal(letter.Count, items.Count);
                    Assert.All(items, item =>
                    {
                        Assert.Equal("refused_author", item.GetProperty(DeadLetterSchema.PostUser).GetProperty("S").GetString());
                        Assert.Equal(Reason, item.GetProperty(DeadLetterSchema.Reason).GetProperty("S").GetString());
                    });
                }

                var replayed = (await client.GetItemAsync(new GetItemRequest(PostsTableSchema.DefaultTableName, key) { ConsistentRead = true }, token)).Item;
                Assert.True(replayed is { Count: > 0 }, $"{cli}: the replayed post is not in the table");
                Assert.Equal(text, replayed[PostsTableSchema.Text].S);
                Assert.Equal(refused.Keys.Order(StringComparer.Ordinal), replayed.Keys.Order(StringComparer.Ordinal));
                Assert.Equal(["cats"], replayed[PostsTableSchema.Hashtags].L.Select(value => value.S));
                Assert.Equal(false, replayed[PostsTableSchema.LongPost].BOOL);
                await client.DeleteItemAsync(PostsTableSchema.DefaultTableName, key, token);
            }
        }
        finally
        {
            await DeleteTableAsync(client);
        }
    }

    /// <summary>The README's table name is shared with the other README test of this DynamoDB Local: leave it as found.</summary>
    private static async Task DeleteTableAsync(IAmazonDynamoDB client)
    {
        try
        {
            await client.DeleteTableAsync(PostsTableSchema.DefaultTableName);
        }
        catch (ResourceNotFoundException)
        {
        }
    }
}
