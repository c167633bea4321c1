using System.Text.Json;
using System.Text.Json.Serialization;

namespace TwitterStream.Contracts;

/// <summary>
/// One line of the simulator's ledger (<c>GET /_sim/ledger</c>, NDJSON): a distinct post it sent, and the rules it
/// matched. The simulator writes it; the tests and benchmarks audit the table against it.
/// </summary>
public sealed record LedgerEntry(
    [property: JsonPropertyName(LedgerEntry.IdField)] string Id,
    [property: JsonPropertyName(LedgerEntry.AuthorIdField)] string AuthorId,
    [property: JsonPropertyName(LedgerEntry.UsernameField)] string Username,
    [property: JsonPropertyName(LedgerEntry.CreatedAtField)] string CreatedAt,
    [property: JsonPropertyName(LedgerEntry.RulesField)] IReadOnlyList<LedgerRule> Rules,
    [property: JsonPropertyName(LedgerEntry.DeliveryField), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Delivery = null)
{
    public const string Path = "/_sim/ledger";
    public const string IdField = "id";
    public const string AuthorIdField = "author_id";
    public const string UsernameField = "username";
    public const string CreatedAtField = "created_at";
    public const string RulesField = "rules";
    public const string DeliveryField = "delivery";

    /// <summary>
    /// <see cref="Delivery"/> of a post sent again by <c>backfill_minutes</c>: a duplicate of an earlier line (live or
    /// missed), never a new post.
    /// </summary>
    public const string Backfilled = "backfill";

    /// <summary>
    /// <see cref="Delivery"/> of a post matched while no client was connected (Simulator:MatchWhileDisconnected): a
    /// post the stream owed but did not deliver; only backfill can bring it.
    /// </summary>
    public const string Missed = "missed";

    /// <summary>A line for a post that was matched for the stream (sent live or missed), not a re-delivery.</summary>
    public bool IsFirstDelivery => Delivery != Backfilled;

    public bool Matched(string tag) => Rules.Any(r => r.Tag == tag);

    public static IReadOnlyList<LedgerEntry> ParseNdjson(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize(line, ContractsJson.Default.LedgerEntry)
                ?? throw new FormatException($"A ledger line is not a post: {line}"))];
}

/// <summary>A rule a ledger post matched; <see cref="Tag"/> is absent for a rule added without one.</summary>
public sealed record LedgerRule(
    [property: JsonPropertyName(LedgerRule.IdField)] string Id,
    [property: JsonPropertyName(LedgerRule.TagField)] string? Tag)
{
    public const string IdField = "id";
    public const string TagField = "tag";
}
