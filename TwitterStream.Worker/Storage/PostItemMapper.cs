using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Storage;

/// <summary>A post's keys in the table (<see cref="PostsTableSchema"/>) and its item.</summary>
internal static class PostItemMapper
{
    public static string SortKey(Post post) => PostsTableSchema.SortKeyOf(post.CreatedAt, post.Id);

    /// <summary>The username, or the author id when the stream sent no <c>includes</c>.</summary>
    public static string PartitionKey(Post post) => post.Username ?? post.AuthorId!;

    /// <summary>A fresh item; the writer uses <see cref="PostItemPool"/> instead to avoid allocating one per post.</summary>
    public static Dictionary<string, AttributeValue> ToItem(Post post) => new PostItem().Fill(post).Attributes;
}
