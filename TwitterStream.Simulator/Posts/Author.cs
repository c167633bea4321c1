using System.Text.Json;

namespace TwitterStream.Simulator.Posts;

/// <summary>A post author, with its JSON values encoded once so the stream writer does no per-post escaping for users.</summary>
internal sealed class Author
{
    public Author(string id, string username, string name, string lang, bool verified, string description, string location, DateTimeOffset createdAt)
    {
        Id = id;
        Username = username;
        Name = name;
        Lang = lang;
        Verified = verified;
        Description = description;
        Location = location;
        CreatedAt = createdAt;
        EncodedId = JsonEncodedText.Encode(id, StreamJson.Encoder);
        EncodedUsername = JsonEncodedText.Encode(username, StreamJson.Encoder);
        EncodedName = JsonEncodedText.Encode(name, StreamJson.Encoder);
        EncodedDescription = JsonEncodedText.Encode(description, StreamJson.Encoder);
        EncodedLocation = JsonEncodedText.Encode(location, StreamJson.Encoder);
        EncodedCreatedAt = JsonEncodedText.Encode(StreamJson.FormatTime(createdAt));
    }

    public string Id { get; }
    public string Username { get; }
    public string Name { get; }
    public string Lang { get; }
    public bool Verified { get; }
    public string Description { get; }
    public string Location { get; }
    public DateTimeOffset CreatedAt { get; }
    public JsonEncodedText EncodedId { get; }
    public JsonEncodedText EncodedUsername { get; }
    public JsonEncodedText EncodedName { get; }
    public JsonEncodedText EncodedDescription { get; }
    public JsonEncodedText EncodedLocation { get; }
    public JsonEncodedText EncodedCreatedAt { get; }
}
