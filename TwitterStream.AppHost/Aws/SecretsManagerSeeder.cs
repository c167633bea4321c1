using System.Text.Json;
using Amazon.Runtime;
using TwitterStream.Contracts;

namespace Aspire.Hosting;

/// <summary>What seeding did to a secret.</summary>
public enum SecretSeeding
{
    Created,
    Updated,
}

/// <summary>
/// Writes a secret into an emulated Secrets Manager (LocalStack or moto) with <c>CreateSecret</c>, or
/// <c>PutSecretValue</c> when it already exists (a restarted AppHost against a running emulator). The value travels in
/// the body of one loopback request: never on a command line, in a variable or in a log.
/// </summary>
public sealed class SecretsManagerSeeder(HttpClient http, Uri endpoint, string region, TimeProvider time)
{
    public const string HttpClientName = "SecretsManagerSeeder";
    public const string Service = "secretsmanager";
    public const string CreateSecretTarget = "secretsmanager.CreateSecret";
    public const string PutSecretValueTarget = "secretsmanager.PutSecretValue";

    private static readonly ImmutableCredentials Credentials =
        new(LocalAwsCredentials.AccessKeyId, LocalAwsCredentials.SecretAccessKey, token: null);

    public async Task<SecretSeeding> SeedAsync(string secretName, string value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretName);
        ArgumentNullException.ThrowIfNull(value);
        var (status, body) = await SendAsync(CreateSecretRequest(secretName, value), cancellationToken);
        if (status.IsSuccess())
        {
            return SecretSeeding.Created;
        }

        if (AwsJsonRequest.ErrorType(body) != "ResourceExistsException")
        {
            throw Failure("CreateSecret", secretName, status, body);
        }

        (status, body) = await SendAsync(PutSecretValueRequest(secretName, value), cancellationToken);
        return status.IsSuccess() ? SecretSeeding.Updated : throw Failure("PutSecretValue", secretName, status, body);
    }

    public HttpRequestMessage CreateSecretRequest(string secretName, string value) =>
        Request(CreateSecretTarget, new Dictionary<string, string> { ["Name"] = secretName, ["SecretString"] = value });

    public HttpRequestMessage PutSecretValueRequest(string secretName, string value) =>
        Request(PutSecretValueTarget, new Dictionary<string, string> { ["SecretId"] = secretName, ["SecretString"] = value });

    private HttpRequestMessage Request(string target, Dictionary<string, string> body) =>
        AwsJsonRequest.Create(endpoint, region, Service, target, JsonSerializer.Serialize(body), Credentials, time.GetUtcNow().UtcDateTime);

    private async Task<(System.Net.HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
    }

    /// <summary>The error names the call, the secret and AWS's error type; the body is not echoed (an emulator may quote the request).</summary>
    private InvalidOperationException Failure(string call, string secretName, System.Net.HttpStatusCode status, string body) =>
        new($"{call} for secret {secretName} at {endpoint} answered {(int)status} {AwsJsonRequest.ErrorType(body) ?? "(no AWS error type)"}.");
}

internal static class HttpStatusCodeExtensions
{
    public static bool IsSuccess(this System.Net.HttpStatusCode status) => (int)status is >= 200 and <= 299;
}
