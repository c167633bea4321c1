using System.IO.Compression;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using TwitterStream.Contracts;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// The items that keep one refused post in the dead-letter place (<see cref="DeadLetterSchema"/>): its key, the
/// reason, and the item itself, compressed and split into parts small enough for DynamoDB, so however large the
/// refused item was, none of it is lost.
/// </summary>
internal static class DeadLetter
{
    /// <summary>Longest reason kept: DynamoDB's messages are short; this bounds a dead letter part's size.</summary>
    private const int MaxReasonLength = 2_000;

    public static List<WriteRequest> Requests(Dictionary<string, AttributeValue> refused, string reason, DateTimeOffset refusedAt, int partBytes = DeadLetterSchema.PartBytes)
    {
        var user = refused.TryGetValue(PostsTableSchema.PartitionKey, out var u) ? u.S ?? "" : "";
        var date = refused.TryGetValue(PostsTableSchema.SortKey, out var d) ? d.S ?? "" : "";
        var compressed = Compress(AttributeJson.Write(refused));
        var parts = Math.Max(1, (compressed.Length + partBytes - 1) / partBytes);
        var requests = new List<WriteRequest>(parts);
        for (var part = 0; part < parts; part++)
        {
            var offset = part * partBytes;
            var length = Math.Min(partBytes, compressed.Length - offset);
            requests.Add(new WriteRequest
            {
                PutRequest = new PutRequest
                {
                    Item = new Dictionary<string, AttributeValue>
                    {
                        [PostsTableSchema.PartitionKey] = new(PostsTableSchema.ReservedPartitionKey),
                        [PostsTableSchema.SortKey] = new(DeadLetterSchema.SortKey(user, date, part)),
                        [DeadLetterSchema.PostUser] = new(Shorten(user, 1024)),
                        [DeadLetterSchema.PostDate] = new(Shorten(date, 1024)),
                        [DeadLetterSchema.Reason] = new(Shorten(reason, MaxReasonLength)),
                        [DeadLetterSchema.RefusedAt] = new(refusedAt.UtcDateTime.ToString(PostsTableSchema.TimestampFormat, CultureInfo.InvariantCulture)),
                        [DeadLetterSchema.Part] = new() { N = part.ToString(CultureInfo.InvariantCulture) },
                        [DeadLetterSchema.Parts] = new() { N = parts.ToString(CultureInfo.InvariantCulture) },
                        [DeadLetterSchema.Item] = new() { B = new MemoryStream(compressed, offset, length, writable: false, publiclyVisible: true) },
                    },
                },
            });
        }

        return requests;
    }

    /// <summary>The item's own key and text stay whole in the compressed item; these copies only help finding it.</summary>
    private static string Shorten(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength] + "…";

    private static byte[] Compress(byte[] json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
        {
            gzip.Write(json);
        }

        return buffer.ToArray();
    }
}
