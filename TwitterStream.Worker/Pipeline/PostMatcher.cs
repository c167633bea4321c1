namespace TwitterStream.Worker.Pipeline;

/// <summary>
/// Keeps a post when X matched it with this worker's rule tag: several workers with different filters may share one
/// X app and its rule set, and each keeps only its own.
/// </summary>
internal sealed class PostMatcher(string ruleTag)
{
    public string RuleTag { get; } = ruleTag;

    public bool IsKept(Post post)
    {
        foreach (var tag in post.MatchingTags)
        {
            if (string.Equals(tag, RuleTag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
