using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Harness;
using TwitterStream.Tests.Infrastructure;
using TwitterStream.Worker.Pipeline;
using TwitterStream.Worker.Storage;

namespace TwitterStream.Tests.Readme;

/// <summary>
/// README's "Look at the table" commands, as pasted, on a machine without AWS configuration, with each installed AWS
/// CLI, against DynamoDB Local holding items the worker's own mapper built.
/// </summary>
[Collection(DynamoDbLocalCollection.Name)]
public sealed class TableCommandTests(DynamoDbLocalFixture dynamo)
{
    private const string Marker = "<!-- readme-table-commands -->";
    private const string Unicode = "猫 🐈‍⬛ café naïve مرحبا \"quoted\"";

    [Fact]
    public async Task The_readme_table_commands_work_as_pasted_with_every_installed_aws_cli()
    {
        var clis = ReadmeCommands.InstalledAwsClis();
        var commands = ReadmeCommands.Read(Marker);
        Assert.NotEmpty(commands);
        Assert.All(commands, command => Assert.Contains(ReadmeCommands.Port, command, StringComparison.Ordinal));

        using (var client = dynamo.CreateClient())
        {
            await PostsTable.CreateAsync(client, PostsTableSchema.DefaultTableName, TestContext.Current.CancellationToken);
            await client.PutItemAsync(PostsTableSchema.DefaultTableName, Item("1001", Unicode, "twitterstream"), TestContext.Current.CancellationToken);
            await client.PutItemAsync(PostsTableSchema.DefaultTableName, Item("1002", "another worker's post", "other-worker"), TestContext.Current.CancellationToken);
        }

        foreach (var cli in clis)
        {
            using var shell = new FreshMachineShell(cli);
            foreach (var command in commands)
            {
                var (exitCode, stdout, stderr) = shell.Run(ReadmeCommands.AtPort(command, dynamo.Port));
                Assert.True(exitCode == 0, $"{cli}: exit code {exitCode} for\n{command}\n{stderr}");

                using var output = JsonDocument.Parse(stdout);
                var items = output.RootElement.GetProperty("Items").EnumerateArray().ToList();
                var tags = items.Select(item => item.GetProperty(PostsTableSchema.Rules).GetProperty("L").EnumerateArray().Select(tag => tag.GetProperty("S").GetString()).ToList()).ToList();
                var texts = items.Select(item => item.GetProperty(PostsTableSchema.Text).GetProperty("S").GetString()).ToList();
                if (command.Contains("--filter-expression", StringComparison.Ordinal))
                {
                    Assert.Equal([Unicode], texts);
                    Assert.Equal(["twitterstream"], Assert.Single(tags));
                }
                else
                {
                    Assert.Equal(new[] { Unicode, "another worker's post" }.Order(StringComparer.Ordinal), texts.Order(StringComparer.Ordinal));
                }
            }
        }
    }

    private static Dictionary<string, AttributeValue> Item(string id, string text, string tag) => PostItemMapper.ToItem(new Post
    {
        Id = id,
        Text = text,
        AuthorId = "42",
        Username = "readme",
        CreatedAt = "2024-01-15T10:35:00.000Z",
        MatchingTags = [tag],
        ReceivedAt = DateTimeOffset.UnixEpoch,
    });
}
