using Amazon.DynamoDBv2;
using Amazon.Runtime;
using TwitterStream.Contracts;

namespace Aspire.Hosting;

/// <summary>
/// A local stand-in for AWS that serves DynamoDB on <see cref="DynamoDbEndpoint"/> in one <see cref="Region"/>; every
/// client of it (the AppHost, the consumers, dynamodb-admin) uses the throwaway <see cref="LocalAwsCredentials"/>.
/// </summary>
public interface IAwsEmulatorResource : IResourceWithEndpoints, IResourceWithWaitSupport
{
    /// <summary>The name of the endpoint that serves the AWS APIs.</summary>
    public const string EndpointName = "http";

    EndpointReference DynamoDbEndpoint { get; }

    /// <summary>The region every client of the emulator signs for: held here once.</summary>
    string Region { get; }
}

public static class AwsEmulatorResourceExtensions
{
    private static AWSCredentials Credentials { get; } =
        new BasicAWSCredentials(LocalAwsCredentials.AccessKeyId, LocalAwsCredentials.SecretAccessKey);

    /// <summary>A DynamoDB client for the emulator, once its endpoint is allocated.</summary>
    public static AmazonDynamoDBClient CreateDynamoDbClient(this IAwsEmulatorResource emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return CreateDynamoDbClient(emulator.DynamoDbEndpoint.Url, emulator.Region);
    }

    /// <summary>A DynamoDB client for an emulator at <paramref name="serviceUrl"/>, with the local credentials.</summary>
    public static AmazonDynamoDBClient CreateDynamoDbClient(string serviceUrl, string region) =>
        new(Credentials, new AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = region });

    /// <summary>
    /// Points <paramref name="builder"/>'s AWS SDK (or CLI) at the emulator through the SDK's standard variables
    /// (<c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>AWS_REGION</c>, the local credentials), as Aspire.Hosting.AWS's
    /// <c>WithReference(dynamoDBLocal)</c> does, and makes it wait for the emulator.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IAwsEmulatorResource> emulator)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(emulator);
        return builder
            .WithEnvironment(WorkerVariables.DynamoDbEndpoint, emulator.Resource.DynamoDbEndpoint)
            .WithEnvironment(WorkerVariables.SdkRegion, emulator.Resource.Region)
            .WithEnvironment(WorkerVariables.AccessKeyId, LocalAwsCredentials.AccessKeyId)
            .WithEnvironment(WorkerVariables.SecretAccessKey, LocalAwsCredentials.SecretAccessKey)
            .WaitFor(emulator);
    }
}
