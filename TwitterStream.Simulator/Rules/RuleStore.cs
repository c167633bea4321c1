using Microsoft.Extensions.Options;

namespace TwitterStream.Simulator.Rules;

/// <summary>
/// The app's rules. Readers (the stream loop, per post) take the immutable <see cref="Snapshot"/>; changes swap it, so
/// they apply to an open stream without reconnecting, as on X.
/// </summary>
internal sealed class RuleStore(IOptions<SimulatorOptions> options)
{
    public const int MaxRules = 1000;

    private readonly Lock _gate = new();
    private volatile StreamRule[] _rules = [];
    private long _nextId = 1_900_000_000_000_000_000L + (uint)options.Value.Seed % 1_000_000 * 1_000_000L;

    public StreamRule[] Snapshot => _rules;

    public string NextId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public StreamRule? FindByValue(string value) => Array.Find(_rules, r => r.Value == value);

    public void Add(IReadOnlyList<StreamRule> rules)
    {
        lock (_gate) _rules = [.. _rules, .. rules];
    }

    /// <summary>Removes the rules whose id is listed; returns the ids that were found and removed.</summary>
    public HashSet<string> Remove(IEnumerable<string> ids)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            var removed = _rules.Where(r => wanted.Contains(r.Id)).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            _rules = [.. _rules.Where(r => !removed.Contains(r.Id))];
            return removed;
        }
    }
}
