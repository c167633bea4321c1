using TwitterStream.Simulator.Posts;

namespace TwitterStream.Simulator.Rules;

/// <summary>A parsed rule: evaluates against a prepared post and can describe a post that would satisfy it.</summary>
internal abstract class RuleNode
{
    public abstract bool Matches(PostTokens post);

    /// <summary>Adds what a generated post needs so that this node matches (OR picks one branch; negations add nothing).</summary>
    public abstract void AddWitness(PostWitness witness, ref Prng random);

    /// <summary>True when the node matches on its own (X's "standalone" operators) rather than only narrowing others.</summary>
    public abstract bool IsStandalone { get; }
}

internal sealed class AndNode(RuleNode[] children) : RuleNode
{
    public override bool Matches(PostTokens post)
    {
        foreach (var child in children) if (!child.Matches(post)) return false;
        return true;
    }

    public override void AddWitness(PostWitness witness, ref Prng random)
    {
        foreach (var child in children) child.AddWitness(witness, ref random);
    }

    public override bool IsStandalone => children.Any(c => c.IsStandalone);
}

internal sealed class OrNode(RuleNode[] children) : RuleNode
{
    public override bool Matches(PostTokens post)
    {
        foreach (var child in children) if (child.Matches(post)) return true;
        return false;
    }

    public override void AddWitness(PostWitness witness, ref Prng random) =>
        children[random.Next(children.Length)].AddWitness(witness, ref random);

    public override bool IsStandalone => children.All(c => c.IsStandalone);
}

internal sealed class NotNode(RuleNode inner) : RuleNode
{
    public override bool Matches(PostTokens post) => !inner.Matches(post);
    public override void AddWitness(PostWitness witness, ref Prng random) { }
    public override bool IsStandalone => false;
}

/// <summary>A keyword or an "exact phrase": its tokens must appear consecutively.</summary>
internal sealed class TermNode(string surface, string[] tokens) : RuleNode
{
    public override bool Matches(PostTokens post) => post.ContainsSequence(tokens);
    public override void AddWitness(PostWitness witness, ref Prng random) => witness.Fragments.Add(surface);
    public override bool IsStandalone => true;
}

internal sealed class HashtagNode(string tag) : RuleNode
{
    public override bool Matches(PostTokens post) => post.Hashtags.Contains(tag);
    public override void AddWitness(PostWitness witness, ref Prng random) => witness.Fragments.Add("#" + tag);
    public override bool IsStandalone => true;
}

internal sealed class MentionNode(string username) : RuleNode
{
    public override bool Matches(PostTokens post) => post.Mentions.Contains(username);
    public override void AddWitness(PostWitness witness, ref Prng random) => witness.Fragments.Add("@" + username);
    public override bool IsStandalone => true;
}

internal sealed class FromNode(string username) : RuleNode
{
    public override bool Matches(PostTokens post) => string.Equals(post.Username, username, StringComparison.Ordinal);
    public override void AddWitness(PostWitness witness, ref Prng random) => witness.FromUsername = username;
    public override bool IsStandalone => true;
}

internal sealed class LangNode(string lang) : RuleNode
{
    public override bool Matches(PostTokens post) => string.Equals(post.Lang, lang, StringComparison.Ordinal);
    public override void AddWitness(PostWitness witness, ref Prng random) => witness.Lang = lang;
    public override bool IsStandalone => false;
}

/// <summary><c>is:</c> and <c>has:</c> operators the simulated posts can carry.</summary>
internal sealed class FlagNode(string flag) : RuleNode
{
    public static readonly string[] Known = ["has:hashtags", "has:mentions", "has:links", "is:verified", "is:retweet", "is:reply", "is:quote", "has:images", "has:media"];

    public override bool Matches(PostTokens post) => flag switch
    {
        "has:hashtags" => post.Hashtags.Count > 0,
        "has:mentions" => post.Mentions.Count > 0,
        "has:links" => post.HasLinks,
        "is:verified" => post.AuthorVerified,
        _ => false, // the simulator sends no retweets, replies, quotes or media
    };

    public override void AddWitness(PostWitness witness, ref Prng random)
    {
        switch (flag)
        {
            case "has:hashtags": witness.Fragments.Add("#sim"); break;
            case "has:mentions": witness.Fragments.Add("@xdevelopers"); break;
            case "has:links": witness.Fragments.Add("https://example.com/p"); break;
        }
    }

    public override bool IsStandalone => false;
}
