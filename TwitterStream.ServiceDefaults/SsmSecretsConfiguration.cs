using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Configuration;
using TwitterStream.Contracts;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Fills the settings that <see cref="SsmSecretReferences.Section"/> names with values read from SSM
/// (<c>GetParameter</c> with decryption on <c>/aws/reference/secretsmanager/…</c>) before anything binds its options. Run
/// locally against an emulator (LocalStack or moto) the process does what the ECS agent does on Fargate, so the secret's
/// value exists only in the secret store and in this process's memory: never in its environment, on a command line or
/// in the dashboard. With no such entries (on Fargate, or without a secret store) nothing is read.
/// </summary>
public static class SsmSecretsConfiguration
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    public static TBuilder AddSsmSecrets<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var references = References(builder.Configuration);
        if (references.Count == 0)
        {
            return builder;
        }

        // Endpoint (AWS_ENDPOINT_URL_SSM), region and credentials from the SDK's standard variables.
        // Configuration is built synchronously; a bounded wait keeps a dead endpoint from stalling the start for ever.
        using var ssm = new AmazonSimpleSystemsManagementClient();
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, parameterName) in references)
        {
            try
            {
                values[key] = ReadAsync(ssm, key, parameterName, timeout.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new InvalidOperationException(
                    $"Could not read {key} from SSM parameter {parameterName} within {ReadTimeout.TotalSeconds:0} s; check that {SsmSecretReferences.SsmEndpoint} points at a running emulator.");
            }
        }

        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }

    /// <summary>The settings to fill, by configuration key, with the SSM parameter each comes from.</summary>
    public static IReadOnlyDictionary<string, string> References(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(SsmSecretReferences.Section).AsEnumerable(makePathsRelative: true)
            .Where(entry => !string.IsNullOrWhiteSpace(entry.Value))
            .ToDictionary(entry => entry.Key, entry => entry.Value!.Trim(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>One value; a failure names the setting, the parameter and the endpoint, never a value.</summary>
    public static async Task<string> ReadAsync(
        IAmazonSimpleSystemsManagement ssm, string key, string parameterName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssm);
        try
        {
            var response = await ssm.GetParameterAsync(
                new GetParameterRequest { Name = parameterName, WithDecryption = true }, cancellationToken);
            return response.Parameter.Value;
        }
        catch (Exception exception) when (exception is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException)
        {
            throw new InvalidOperationException(
                $"Could not read {key} from SSM parameter {parameterName} at {ssm.Config.ServiceURL ?? ssm.Config.RegionEndpoint?.SystemName ?? "the default endpoint"}: {exception.Message}. "
                + $"Check that the secret exists in Secrets Manager and that {SsmSecretReferences.SsmEndpoint} points at the emulator.",
                exception);
        }
    }
}
