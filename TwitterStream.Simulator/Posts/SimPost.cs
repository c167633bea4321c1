using TwitterStream.Simulator.Rules;

namespace TwitterStream.Simulator.Posts;

/// <summary>One post, generated or replayed, with its tokens prepared for rule evaluation.</summary>
internal sealed class SimPost(string id, string text, Author author, string lang, DateTimeOffset createdAt, PostTokens tokens)
{
    public string Id { get; } = id;
    public string Text { get; } = text;
    public Author Author { get; } = author;
    public string Lang { get; } = lang;

    /// <summary>Whole seconds, like X's <c>.000Z</c> timestamps.</summary>
    public DateTimeOffset CreatedAt { get; } = createdAt;

    public PostTokens Tokens { get; } = tokens;

    public static SimPost Create(string id, string text, Author author, string lang, DateTimeOffset createdAt, bool verified) =>
        new(id, text, author, lang, createdAt, PostTokens.Create(text, author.Username, lang, verified));
}

/// <summary>Where the stream's posts come from: the generator or a replay file.</summary>
internal interface IPostSource
{
    /// <summary>The post at <paramref name="index"/> (a process-wide sequence number), or null when the source is exhausted.</summary>
    SimPost? Get(long index, StreamRule[] rules);
}
