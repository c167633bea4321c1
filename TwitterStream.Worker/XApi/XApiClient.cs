using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TwitterStream.Contracts;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.XApi;

/// <summary>The three X API v2 calls the worker makes besides the stream: token exchange, list rules, change rules.</summary>
internal sealed class XApiClient(HttpClient http, PostFieldSelection? fields = null)
{
    public const string HttpClientName = "x-api";
    /// <summary>
    /// The stream with the fields a stored post needs (created_at, note_tweet for a long post's whole text, the author's
    /// username as an expansion) and the selected optional ones.
    /// </summary>
    public string StreamPath { get; } = (fields ?? PostFieldSelection.Default).StreamPath;
    public const string BackfillParameter = "backfill_minutes";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>App-only OAuth 2.0: POST /oauth2/token with Basic auth of the URL-encoded key:secret.</summary>
    public async Task<string> ExchangeTokenAsync(string consumerKey, string consumerSecret, CancellationToken cancellationToken)
    {
        var credentials = Convert.ToBase64String(
            Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(consumerKey)}:{Uri.EscapeDataString(consumerSecret)}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, XApiPaths.Token)
        {
            Content = new StringContent("grant_type=client_credentials", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);

        using var timeout = Timeout(cancellationToken);
        using var response = await http.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            var reason = await ReasonAsync(response, timeout.Token);
            var message = $"X rejected the consumer key/secret exchange (POST {XApiPaths.Token} → HTTP {(int)response.StatusCode}{reason}): " +
                "check CONSUMERKEY and CONSUMERSECRETKEY, or set BEARERTOKEN.";
            throw response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest
                ? new XApiFatalException(message)
                : new HttpRequestException(message, null, response.StatusCode);
        }

        var token = await response.Content.ReadFromJsonAsync(XApiJson.Default.TokenResponse, timeout.Token);
        if (token is null || !string.Equals(token.TokenType, "bearer", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(token.AccessToken))
        {
            throw new XApiFatalException($"X's {XApiPaths.Token} answer held no bearer token (token_type must be \"bearer\").");
        }

        return token.AccessToken;
    }

    public async Task<IReadOnlyList<StreamRule>> GetRulesAsync(string bearerToken, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Get, XApiPaths.Rules, bearerToken);
        using var timeout = Timeout(cancellationToken);
        using var response = await http.SendAsync(request, timeout.Token);
        await EnsureSuccessAsync(response, "GET " + XApiPaths.Rules, timeout.Token);
        var rules = await response.Content.ReadFromJsonAsync(XApiJson.Default.RulesResponse, timeout.Token);
        return rules?.Data ?? [];
    }

    public Task AddRuleAsync(string bearerToken, StreamRule rule, CancellationToken cancellationToken) =>
        ChangeRulesAsync(bearerToken, new RulesChange { Add = [rule] }, cancellationToken);

    public Task DeleteRulesAsync(string bearerToken, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        ChangeRulesAsync(bearerToken, new RulesChange { Delete = new RulesDelete(ids) }, cancellationToken);

    /// <summary>Opens the stream; the caller owns the response (headers read, body not yet).</summary>
    /// <param name="backfillMinutes">1-5: X's <c>backfill_minutes</c>, the posts of the last minutes first; 0: live only.</param>
    public async Task<HttpResponseMessage> OpenStreamAsync(string bearerToken, CancellationToken cancellationToken, int backfillMinutes = 0)
    {
        var path = backfillMinutes > 0 ? $"{StreamPath}&{BackfillParameter}={backfillMinutes}" : StreamPath;
        using var request = Authorized(HttpMethod.Get, path, bearerToken);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private async Task ChangeRulesAsync(string bearerToken, RulesChange change, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Post, XApiPaths.Rules, bearerToken);
        request.Content = JsonContent.Create(change, XApiJson.Default.RulesChange);
        using var timeout = Timeout(cancellationToken);
        using var response = await http.SendAsync(request, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        var answer = TryDeserialize(body);
        if (answer?.Errors is { Count: > 0 } errors)
        {
            var first = errors[0];
            var reason = string.Join(": ", new[] { first.Title, first.Value, first.Details?.FirstOrDefault() ?? first.Detail }
                .Where(part => !string.IsNullOrWhiteSpace(part)));
            throw new XApiFatalException($"X rejected the stream rule change: {reason}. Fix FILTER (X rule syntax) or the rule set.");
        }

        if (!response.IsSuccessStatusCode)
        {
            await EnsureSuccessAsync(response, "POST " + XApiPaths.Rules, timeout.Token);
        }
    }

    private static RulesChangeResponse? TryDeserialize(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, XApiJson.Default.RulesChangeResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string bearerToken)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return request;
    }

    private static CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(CallTimeout);
        return source;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var reason = await ReasonAsync(response, cancellationToken);
        var message = $"{call} → HTTP {(int)response.StatusCode}{reason}";
        throw response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? new XApiFatalException($"{message}: check the X credentials (BEARERTOKEN or CONSUMERKEY/CONSUMERSECRETKEY) and the app's access.")
            : new HttpRequestException(message, null, response.StatusCode);
    }

    /// <summary>X's problem title/detail, if the body has one, as " (title: detail)".</summary>
    public static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var problem = JsonSerializer.Deserialize(body, XApiJson.Default.Problem);
            var parts = new[] { problem?.Title, problem?.Detail }.Where(part => !string.IsNullOrWhiteSpace(part)).ToArray();
            return parts.Length == 0 ? "" : $" ({string.Join(": ", parts)})";
        }
        catch (Exception exception) when (exception is JsonException or HttpRequestException or IOException)
        {
            return "";
        }
    }
}

internal sealed record StreamRule(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("tag"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Tag,
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id = null);

internal sealed record TokenResponse(
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("access_token")] string? AccessToken);

internal sealed record RulesResponse([property: JsonPropertyName("data")] List<StreamRule>? Data);

internal sealed record RulesDelete([property: JsonPropertyName("ids")] IReadOnlyList<string> Ids);

internal sealed class RulesChange
{
    [JsonPropertyName("add"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<StreamRule>? Add { get; init; }

    [JsonPropertyName("delete"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RulesDelete? Delete { get; init; }
}

internal sealed record RuleError(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("details")] List<string>? Details);

internal sealed record RulesChangeResponse([property: JsonPropertyName("errors")] List<RuleError>? Errors);

internal sealed record Problem(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("detail")] string? Detail);

[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(RulesResponse))]
[JsonSerializable(typeof(RulesChange))]
[JsonSerializable(typeof(RulesChangeResponse))]
[JsonSerializable(typeof(Problem))]
internal sealed partial class XApiJson : JsonSerializerContext;
