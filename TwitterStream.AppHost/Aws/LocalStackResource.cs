using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>The LocalStack container, serving DynamoDB, Secrets Manager and SSM on one endpoint.</summary>
public sealed class LocalStackResource(string name, string region) : ContainerResource(name), IAwsEmulatorResource
{
    public const string Registry = "docker.io";
    public const string Image = "localstack/localstack";

    /// <summary>The last tag that runs without an auth token; newer tags need <c>LOCALSTACK_AUTH_TOKEN</c>.</summary>
    public const string DefaultImageTag = "4.14.0";

    public const int DefaultDynamoDbPort = 4566;
    public const int ContainerPort = 4566;
    public const string Services = "dynamodb,secretsmanager,ssm";
    public const string HealthPath = "/_localstack/health";
    public const string ReadyHooksPath = "/_localstack/init/ready";
    public const string ReadyHooksFolder = "/etc/localstack/init/ready.d";
    public const string InitScriptName = "twitterstream-secrets.sh";

    public EndpointReference DynamoDbEndpoint => new(this, IAwsEmulatorResource.EndpointName);

    public string Region { get; } = region;

    /// <summary>The Secrets Manager secrets the init script creates, in the order they were added.</summary>
    public IReadOnlyList<LocalStackSecret> Secrets => _secrets;

    private readonly List<LocalStackSecret> _secrets = [];

    internal void AddSecret(LocalStackSecret secret) => _secrets.Add(secret);
}

public static class LocalStackResourceExtensions
{
    /// <summary>
    /// Adds LocalStack on a fixed host port, with its health endpoint, an init hook that seeds the secrets, and
    /// <paramref name="authToken"/> (when given) as <c>LOCALSTACK_AUTH_TOKEN</c>.
    /// </summary>
    public static IResourceBuilder<LocalStackResource> AddLocalStack(
        this IDistributedApplicationBuilder builder, string name, int port, string imageTag, string region,
        IResourceBuilder<ParameterResource>? authToken = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(imageTag);
        ArgumentException.ThrowIfNullOrEmpty(region);
        var resource = new LocalStackResource(name, region);
        var readyKey = $"{name}-init-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(readyKey,
            cancellationToken => ReadyHooksCompletedAsync(new Uri(resource.DynamoDbEndpoint.Url), cancellationToken));

        var localStack = builder.AddResource(resource)
            .WithImage(LocalStackResource.Image, imageTag)
            .WithImageRegistry(LocalStackResource.Registry)
            .WithHttpEndpoint(port: port, targetPort: LocalStackResource.ContainerPort, name: IAwsEmulatorResource.EndpointName, isProxied: false)
            .WithEnvironment("SERVICES", LocalStackResource.Services)
            // The init hook's awslocal creates the secrets in this region, the one every client of the emulator reads.
            .WithEnvironment("AWS_DEFAULT_REGION", region)
            .WithHttpHealthCheck(LocalStackResource.HealthPath, endpointName: IAwsEmulatorResource.EndpointName)
            .WithHealthCheck(readyKey)
            .WithContainerFiles(LocalStackResource.ReadyHooksFolder, (_, _) => Task.FromResult<IEnumerable<ContainerFileSystemItem>>(
            [
                new ContainerFile
                {
                    Name = LocalStackResource.InitScriptName,
                    Contents = InitScript(resource.Secrets),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
                },
            ]))
            .ExcludeFromManifest();

        if (authToken is not null)
        {
            localStack.WithEnvironment("LOCALSTACK_AUTH_TOKEN", authToken);
        }

        return localStack;
    }

    /// <summary>Seeds a Secrets Manager secret from a parameter; the value reaches the container as an environment variable only.</summary>
    public static IResourceBuilder<LocalStackResource> WithSecret(
        this IResourceBuilder<LocalStackResource> builder, string secretName, IResourceBuilder<ParameterResource> value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(secretName);
        ArgumentNullException.ThrowIfNull(value);
        var variable = $"TWITTERSTREAM_SECRET_{builder.Resource.Secrets.Count}";
        builder.Resource.AddSecret(new LocalStackSecret(secretName, variable, value.Resource));
        return builder.WithEnvironment(variable, value);
    }

    /// <summary>
    /// The ready.d hook. Values go to the CLI on standard input (<c>file:///dev/stdin</c>), never as arguments, so no
    /// secret shows in a process list; re-running it (a restarted container) updates instead of failing.
    /// </summary>
    public static string InitScript(IEnumerable<LocalStackSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var script = new StringBuilder("""
            #!/bin/bash
            set -euo pipefail

            seed_secret() {
              local name="$1" variable="$2"
              if awslocal secretsmanager describe-secret --secret-id "$name" >/dev/null 2>&1; then
                printf '%s' "${!variable}" | awslocal secretsmanager put-secret-value --secret-id "$name" --secret-string file:///dev/stdin >/dev/null
              else
                printf '%s' "${!variable}" | awslocal secretsmanager create-secret --name "$name" --secret-string file:///dev/stdin >/dev/null
              fi
              echo "twitterstream: secret $name ready"
            }

            """);
        foreach (var secret in secrets)
        {
            script.Append(System.Globalization.CultureInfo.InvariantCulture, $"seed_secret '{secret.SecretName}' '{secret.EnvironmentVariable}'\n");
        }

        return script.ToString();
    }

    /// <summary>Healthy once LocalStack reports every ready.d hook finished (the secrets exist).</summary>
    public static async Task<HealthCheckResult> ReadyHooksCompletedAsync(Uri localStack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(localStack);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(localStack, LocalStackResource.ReadyHooksPath), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var failed = body.RootElement.TryGetProperty("scripts", out var scripts) && scripts.ValueKind == JsonValueKind.Array
            ? scripts.EnumerateArray()
                .Where(script => script.TryGetProperty("state", out var state) && state.GetString() == "ERROR")
                .Select(script => script.TryGetProperty("name", out var name) ? name.GetString() : "?")
                .ToList()
            : [];
        if (failed.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"LocalStack's ready.d hook failed: {string.Join(", ", failed)}; see the localstack logs");
        }

        return body.RootElement.TryGetProperty("completed", out var completed) && completed.ValueKind == JsonValueKind.True
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("LocalStack's ready.d hooks have not finished");
    }
}
