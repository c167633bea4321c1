namespace TwitterStream.Simulator.Posts;

/// <summary>What a generated post must contain so that a chosen rule matches it.</summary>
internal sealed class PostWitness
{
    public List<string> Fragments { get; } = [];
    public string? FromUsername { get; set; }
    public string? Lang { get; set; }

    public void Clear()
    {
        Fragments.Clear();
        FromUsername = null;
        Lang = null;
    }
}
