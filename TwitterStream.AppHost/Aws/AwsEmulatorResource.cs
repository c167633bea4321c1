using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;

namespace TwitterStream.AppHost.Aws;

/// <summary>A local stand-in for AWS that serves DynamoDB on <see cref="DynamoDbEndpoint"/>.</summary>
public interface IAwsEmulatorResource : IResourceWithEndpoints
{
    /// <summary>The name of the endpoint that serves the AWS APIs.</summary>
    public const string EndpointName = "http";

    EndpointReference DynamoDbEndpoint { get; }
}

/// <summary>
/// The throwaway credentials and region every local AWS client uses: the AppHost's own, the worker's and
/// dynamodb-admin's. The emulators accept any; they only have to agree.
/// </summary>
public static class LocalAws
{
    public const string AccessKeyId = "test";
    public const string SecretAccessKey = "test";

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials(AccessKeyId, SecretAccessKey);

    public static AmazonDynamoDBClient DynamoDb(string serviceUrl, string region) =>
        new(Credentials, new AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = region });

    public static AmazonSimpleSystemsManagementClient Ssm(string serviceUrl, string region) =>
        new(Credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = serviceUrl, AuthenticationRegion = region });

    /// <summary>Points a resource's AWS SDK (or CLI) at the emulator, as the SDK's standard variables do.</summary>
    public static IResourceBuilder<T> WithLocalAwsEnvironment<T>(
        this IResourceBuilder<T> builder, IResourceBuilder<IAwsEmulatorResource> emulator, string region)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport => builder
        .WithEnvironment("AWS_ENDPOINT_URL_DYNAMODB", emulator.Resource.DynamoDbEndpoint)
        .WithEnvironment("AWS_REGION", region)
        .WithEnvironment("AWS_ACCESS_KEY_ID", AccessKeyId)
        .WithEnvironment("AWS_SECRET_ACCESS_KEY", SecretAccessKey)
        .WaitFor(emulator);
}
