using Amazon.DynamoDBv2.Model;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// The walkthrough-compatible keys: partition key <c>user</c>, sort key <c>date</c> = created_at + <c>#</c> + post id,
/// so two posts in one second never collide and a re-delivered post overwrites itself.
/// </summary>
internal static class PostItemMapper
{
    public const string UserKey = "user";
    public const string DateKey = "date";

    public static string SortKey(Post post) => string.Concat(post.CreatedAt, "#", post.Id);

    /// <summary>The username, or the author id when the stream sent no <c>includes</c>.</summary>
    public static string PartitionKey(Post post) => post.Username ?? post.AuthorId!;

    /// <summary>A fresh item; the writer uses <see cref="PostItemPool"/> instead to avoid allocating one per post.</summary>
    public static Dictionary<string, AttributeValue> ToItem(Post post) => new PostItem().Fill(post).Attributes;
}
