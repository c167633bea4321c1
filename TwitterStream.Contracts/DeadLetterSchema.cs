using System.Security.Cryptography;
using System.Text;

namespace TwitterStream.Contracts;

/// <summary>
/// Where the worker keeps a post DynamoDB refused for good (a <c>ValidationException</c> for that one item): in the
/// posts table's reserved partition (<see cref="PostsTableSchema.ReservedPartitionKey"/>), so it survives the task,
/// needs no table or permission of its own, and no post can collide with it. The refused item is kept whole as
/// gzip-compressed DynamoDB JSON (what <c>aws dynamodb put-item --item</c> takes), split into parts when it is larger
/// than one item holds; each part repeats the post's key and the reason.
/// </summary>
public static class DeadLetterSchema
{
    /// <summary>Every dead letter's sort key starts with this.</summary>
    public const string SortKeyPrefix = "dead-letter#";

    /// <summary>Bytes of compressed item per part: a multiple of 3, so the parts' base64 texts can be decoded joined.</summary>
    public const int PartBytes = 300_000;

    /// <summary>The refused item's <c>user</c> and <c>date</c> (its key in the posts table).</summary>
    public const string PostUser = "post_user";
    public const string PostDate = "post_date";

    /// <summary>DynamoDB's message, as it refused the item.</summary>
    public const string Reason = "reason";

    /// <summary>When the worker gave up on the item (UTC, <see cref="PostsTableSchema.TimestampFormat"/>).</summary>
    public const string RefusedAt = "refused_at";

    /// <summary>This part's number (from 0) and how many parts the item has (numbers).</summary>
    public const string Part = "part";
    public const string Parts = "parts";

    /// <summary>Binary: this part of the gzip-compressed DynamoDB JSON of the refused item.</summary>
    public const string Item = "item";

    /// <summary>
    /// The sort key shared by all parts of one dead letter before the part number: the post's date and user when they
    /// fit a sort key (1,024 bytes), else their SHA-256 (the refused item may be refused for an oversized key).
    /// </summary>
    public static string KeyPrefix(string postUser, string postDate)
    {
        var key = string.Concat(postDate, "#", postUser);
        if (Encoding.UTF8.GetByteCount(key) > 900)
        {
            key = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return string.Concat(SortKeyPrefix, key, "#");
    }

    /// <summary>The sort key of part <paramref name="part"/>; zero-padded, so parts sort in order.</summary>
    public static string SortKey(string postUser, string postDate, int part) =>
        KeyPrefix(postUser, postDate) + part.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
}
