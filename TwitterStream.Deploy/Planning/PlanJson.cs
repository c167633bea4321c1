using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TwitterStream.Deploy.Planning;

/// <summary>One way to write plan files: indented, '\n' line ends, insertion order, so equal plans are equal bytes.</summary>
internal static class PlanJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(JsonNode node) => node.ToJsonString(Options) + "\n";

    /// <summary>
    /// CloudFormation's property names with a lowercase first letter, which is how the ECS API spells them. Map keys such
    /// as <c>awslogs-group</c> already start lowercase and pass through unchanged.
    /// </summary>
    public static JsonNode CamelCase(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => new KeyValuePair<string, JsonNode?>(
            char.ToLowerInvariant(p.Key[0]) + p.Key[1..],
            p.Value is null ? null : CamelCase(p.Value)))),
        JsonArray array => new JsonArray(array.Select(e => e is null ? null : CamelCase(e)).ToArray()),
        _ => node.DeepClone(),
    };
}
