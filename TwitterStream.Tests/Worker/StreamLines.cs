using System.Text.Json.Nodes;

namespace TwitterStream.Tests.Worker;

/// <summary>Stream lines as X sends them (expansions=author_id, tweet.fields=created_at, user.fields=username).</summary>
public static class StreamLines
{
    public const string OperationalDisconnect =
        """{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.x.com/2/problems/operational-disconnect"}]}""";

    public static string Post(string id, string username, string text, string createdAt = "2024-01-15T10:35:00.000Z", params string[] tags)
    {
        var authorId = $"9{Math.Abs(username.GetHashCode(StringComparison.Ordinal)) % 100000}";
        var rules = new JsonArray([.. (tags.Length == 0 ? ["twitterstream"] : tags).Select(tag => (JsonNode)new JsonObject { ["id"] = "1273026480692322304", ["tag"] = tag })]);
        return new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["id"] = id,
                ["text"] = text,
                ["author_id"] = authorId,
                ["created_at"] = createdAt,
                ["edit_history_tweet_ids"] = new JsonArray(id),
            },
            ["includes"] = new JsonObject { ["users"] = new JsonArray(new JsonObject { ["id"] = authorId, ["name"] = "N", ["username"] = username }) },
            ["matching_rules"] = rules,
        }.ToJsonString();
    }
}
