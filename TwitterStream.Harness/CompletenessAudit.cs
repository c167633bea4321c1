using TwitterStream.Contracts;

namespace TwitterStream.Harness;

/// <summary>
/// What the table holds against what the simulator says it sent: every post sent and matched by the worker's tag must
/// be stored exactly once, and nothing else may be stored.
/// </summary>
public sealed record CompletenessAudit(
    int Expected,
    int Stored,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Duplicated,
    IReadOnlyList<string> Unexpected)
{
    public bool IsComplete => Missing.Count == 0 && Duplicated.Count == 0 && Unexpected.Count == 0;

    public static CompletenessAudit Compare(IEnumerable<LedgerEntry> ledger, IEnumerable<StoredPost> stored, string ruleTag)
    {
        var expected = ledger.Where(e => e.Matched(ruleTag)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var storedIds = stored.GroupBy(p => p.IdFromKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new CompletenessAudit(
            expected.Count,
            storedIds.Values.Sum(),
            [.. expected.Where(id => !storedIds.ContainsKey(id)).Order(StringComparer.Ordinal)],
            [.. storedIds.Where(kv => kv.Value > 1).Select(kv => kv.Key).Order(StringComparer.Ordinal)],
            [.. storedIds.Keys.Where(id => !expected.Contains(id)).Order(StringComparer.Ordinal)]);
    }

    public override string ToString() =>
        $"expected {Expected}, stored {Stored}, missing {Missing.Count}, duplicated {Duplicated.Count}, unexpected {Unexpected.Count}"
        + (IsComplete ? string.Empty : $" (first missing: {string.Join(", ", Missing.Take(5))}; first duplicated: {string.Join(", ", Duplicated.Take(5))}; first unexpected: {string.Join(", ", Unexpected.Take(5))})");
}
