using System.Text.Json;

namespace TwitterStream.Simulator.Rules;

/// <summary>A stored rule with its parsed form and its pre-encoded JSON values for the hot path.</summary>
internal sealed class StreamRule(string id, string value, string? tag, RuleNode root)
{
    public string Id { get; } = id;
    public string Value { get; } = value;
    public string? Tag { get; } = tag;
    public RuleNode Root { get; } = root;
    public JsonEncodedText EncodedId { get; } = JsonEncodedText.Encode(id);
    public JsonEncodedText? EncodedTag { get; } = tag is null ? null : JsonEncodedText.Encode(tag);
}
