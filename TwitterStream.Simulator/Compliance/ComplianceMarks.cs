using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TwitterStream.Simulator.Posts;

namespace TwitterStream.Simulator.Compliance;

/// <summary>
/// Which post ids need action and why: ids marked explicitly (<c>POST /_sim/compliance/marks</c>) first, then a share of
/// all ids picked by a hash of the seed and the id, so a given seed always reports the same posts.
/// </summary>
internal sealed class ComplianceMarks(IOptions<SimulatorOptions> options)
{
    /// <summary>The reasons the share is spread over (X also names deactivated and scrub_geo; marks may use any).</summary>
    public static readonly string[] SharedReasons = ["deleted", "protected", "suspended"];

    private readonly ConcurrentDictionary<string, string> _marked = new(StringComparer.Ordinal);

    public void Mark(string id, string reason) => _marked[id] = reason;

    /// <summary>The reason the post needs action, or null when it is fine.</summary>
    public string? ReasonFor(string id)
    {
        if (_marked.TryGetValue(id, out var reason))
        {
            return reason;
        }

        var share = options.Value.Compliance.Share;
        if (share <= 0)
        {
            return null;
        }

        var random = new Prng(Hash(options.Value.Seed, id));
        return random.NextDouble() < share ? random.Pick(SharedReasons) : null;
    }

    /// <summary>FNV-1a over the seed and the id's characters: stable across processes (string.GetHashCode is not).</summary>
    private static ulong Hash(int seed, string id)
    {
        var hash = 14695981039346656037UL ^ (uint)seed;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
