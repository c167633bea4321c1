using System.Globalization;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// Maps a post to the walkthrough-compatible item: partition key <c>user</c>, sort key <c>date</c> =
/// created_at + <c>#</c> + post id, so two posts in one second never collide and a re-delivered post overwrites itself.
/// </summary>
public static class PostItemMapper
{
    public const string UserKey = "user";
    public const string DateKey = "date";

    public static string SortKey(Post post) => string.Concat(post.CreatedAt, "#", post.Id);

    /// <summary>The username, or the author id when the stream sent no <c>includes</c>.</summary>
    public static string PartitionKey(Post post) => post.Username ?? post.AuthorId!;

    public static Dictionary<string, AttributeValue> ToItem(Post post)
    {
        var item = new Dictionary<string, AttributeValue>(8)
        {
            [UserKey] = new AttributeValue { S = PartitionKey(post) },
            [DateKey] = new AttributeValue { S = SortKey(post) },
            ["text"] = new AttributeValue { S = post.Text },
            ["id"] = new AttributeValue { S = post.Id },
            ["created_at"] = new AttributeValue { S = post.CreatedAt },
            ["received_at"] = new AttributeValue
            {
                S = post.ReceivedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            },
        };
        if (post.AuthorId is not null)
        {
            item["author_id"] = new AttributeValue { S = post.AuthorId };
        }

        // A string set: DynamoDB rejects empty sets, and a kept post always carries at least this worker's tag.
        if (post.MatchingTags.Length > 0)
        {
            item["rules"] = new AttributeValue { SS = DistinctTags(post.MatchingTags) };
        }

        return item;
    }

    /// <summary>A string set must not repeat a value; almost every post has one tag, so that case allocates no set.</summary>
    private static List<string> DistinctTags(string[] tags)
    {
        var distinct = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            if (!distinct.Exists(seen => string.Equals(seen, tag, StringComparison.Ordinal)))
            {
                distinct.Add(tag);
            }
        }

        return distinct;
    }
}
