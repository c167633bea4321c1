using System.Text.Json;
using System.Text.Json.Serialization;

namespace TwitterStream.Harness;

/// <summary>One line of the simulator's ledger: a distinct post it sent, and the rules it matched.</summary>
public sealed record LedgerEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("author_id")] string AuthorId,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("rules")] IReadOnlyList<LedgerRule> Rules)
{
    public bool Matched(string tag) => Rules.Any(r => r.Tag == tag);

    public static IReadOnlyList<LedgerEntry> ParseNdjson(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize<LedgerEntry>(line)
                ?? throw new FormatException($"A ledger line is not a post: {line}"))];
}

public sealed record LedgerRule(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("tag")] string Tag);
