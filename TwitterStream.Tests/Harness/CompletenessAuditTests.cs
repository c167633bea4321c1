using TwitterStream.Contracts;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Harness;

namespace TwitterStream.Tests.Harness;

public sealed class CompletenessAuditTests
{
    private static LedgerEntry Sent(string id, params string[] tags) =>
        new(id, "42", "catperson", "2024-01-15T10:35:00.000Z", [.. tags.Select(t => new LedgerRule("9" + t.Length, t))]);

    private static StoredPost Stored(string id, string date = "2024-01-15T10:35:00.000Z") =>
        StoredPost.From(new Dictionary<string, AttributeValue> { ["user"] = new("catperson"), ["date"] = new($"{date}#{id}") });

    [Fact]
    public void Every_matched_post_stored_once_is_complete_and_other_tags_are_not_expected()
    {
        var audit = CompletenessAudit.Compare([Sent("1", "twitterstream"), Sent("2", "other")], [Stored("1")], "twitterstream");

        Assert.True(audit.IsComplete, audit.ToString());
        Assert.Equal(1, audit.Expected);
    }

    [Fact]
    public void Missing_duplicated_and_unexpected_posts_are_each_named()
    {
        var audit = CompletenessAudit.Compare(
            [Sent("1", "twitterstream"), Sent("2", "twitterstream"), Sent("3", "other")],
            [Stored("1"), Stored("1", "2024-01-15T10:35:01.000Z"), Stored("3")],
            "twitterstream");

        Assert.False(audit.IsComplete);
        Assert.Equal(["2"], audit.Missing);
        Assert.Equal(["1"], audit.Duplicated);
        Assert.Equal(["3"], audit.Unexpected);
    }

    [Fact]
    public void The_ledger_is_read_from_ndjson_with_blank_lines()
    {
        var ledger = LedgerEntry.ParseNdjson(
            "{\"id\":\"7\",\"author_id\":\"42\",\"username\":\"a\",\"created_at\":\"2024-01-15T10:35:00.000Z\",\"rules\":[{\"id\":\"1\",\"tag\":\"t\"}]}\r\n\r\n");

        var entry = Assert.Single(ledger);
        Assert.True(entry.Matched("t"));
        Assert.Equal("7", entry.Id);
    }
}
