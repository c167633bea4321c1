using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Aspire.Hosting;

/// <summary>
/// One call to an AWS JSON 1.1 API (Secrets Manager, SSM, …) as a plain <see cref="HttpRequestMessage"/>, signed with
/// AWSSDK.Core's Signature Version 4 signer: for a service whose SDK package we do not have.
/// </summary>
public static class AwsJsonRequest
{
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>
    /// A POST of <paramref name="json"/> to <paramref name="endpoint"/> with <c>X-Amz-Target: &lt;target&gt;</c>, signed
    /// for <paramref name="service"/> in <paramref name="region"/> at <paramref name="signedAt"/> (UTC).
    /// </summary>
    public static HttpRequestMessage Create(
        Uri endpoint, string region, string service, string target, string json, ImmutableCredentials credentials, DateTime signedAt)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(credentials);
        var body = Encoding.UTF8.GetBytes(json);
        var bodyHash = Convert.ToHexStringLower(AWS4Signer.ComputeHash(body));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = ContentType,
            ["X-Amz-Target"] = target,
        };
        AWS4Signer.InitializeHeaders(headers, endpoint, signedAt.ToUniversalTime()); // Host and X-Amz-Date

        // The canonical request of a POST to "/" with no query (SigV4's task 1); the SDK derives the key and signs.
        var signed = headers.OrderBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim())).ToList();
        var signedHeaders = string.Join(';', signed.Select(h => h.Name));
        var canonicalRequest = string.Join('\n',
            "POST", "/", "", string.Concat(signed.Select(h => $"{h.Name}:{h.Value}\n")), signedHeaders, bodyHash);
        var result = AWS4Signer.ComputeSignature(credentials, region, signedAt.ToUniversalTime(), service, signedHeaders, canonicalRequest);

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "/"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        request.Headers.Add("X-Amz-Target", target);
        request.Headers.Add("X-Amz-Date", headers["X-Amz-Date"]);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        return request;
    }

    /// <summary>The <c>__type</c> of an AWS JSON error body without its namespace (e.g. <c>ResourceExistsException</c>), or null.</summary>
    public static string? ErrorType(string body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("__type", out var type) && type.GetString() is { } name
                ? name[(name.LastIndexOf('#') + 1)..]
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
