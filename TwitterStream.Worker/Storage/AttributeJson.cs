using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// An item as DynamoDB JSON (<c>{"text":{"S":"…"}}</c>), the form <c>aws dynamodb put-item --item</c> takes, so a
/// dead-lettered item can be looked at, corrected and written back with the AWS CLI alone.
/// </summary>
internal static class AttributeJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Dictionary<string, AttributeValue> item)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            WriteMap(json, item);
        }

        return buffer.ToArray();
    }

    private static void WriteMap(Utf8JsonWriter json, Dictionary<string, AttributeValue> map)
    {
        json.WriteStartObject();
        foreach (var (name, value) in map)
        {
            json.WritePropertyName(name);
            WriteValue(json, value);
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, AttributeValue value)
    {
        json.WriteStartObject();
        if (value.S is not null)
        {
            json.WriteString("S", value.S);
        }
        else if (value.N is not null)
        {
            json.WriteString("N", value.N);
        }
        else if (value.B is not null)
        {
            json.WriteBase64String("B", value.B.ToArray());
        }
        else if (value.BOOL is { } flag)
        {
            json.WriteBoolean("BOOL", flag);
        }
        else if (value.NULL is true)
        {
            json.WriteBoolean("NULL", true);
        }
        else if (value.L is not null)
        {
            json.WriteStartArray("L");
            foreach (var element in value.L)
            {
                WriteValue(json, element);
            }

            json.WriteEndArray();
        }
        else if (value.M is not null)
        {
            json.WritePropertyName("M");
            WriteMap(json, value.M);
        }
        else if (value.SS is not null)
        {
            WriteStrings(json, "SS", value.SS);
        }
        else if (value.NS is not null)
        {
            WriteStrings(json, "NS", value.NS);
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string type, List<string> values)
    {
        json.WriteStartArray(type);
        foreach (var text in values)
        {
            json.WriteStringValue(text);
        }

        json.WriteEndArray();
    }
}
