using System.Text.Json;

namespace TwitterStream.Tests.Simulator;

/// <summary>What a strict client accepts as a post: valid UTF-8 JSON with a string <c>data.id</c> and <c>data.text</c>.</summary>
internal static class SimulatorProtocol
{
    public static bool TryReadPost(byte[] line, out JsonElement post)
    {
        post = default;
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !data.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                return false;
            post = root.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
