using Amazon;
using Amazon.DynamoDBv2;
using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.Storage;

/// <summary>
/// Builds the DynamoDB client: credentials from the SDK's default chain (env keys locally, the task role on Fargate),
/// the endpoint from <c>AWS_ENDPOINT_URL_DYNAMODB</c> / <c>AWS_ENDPOINT_URL</c> when set. The endpoint is set
/// explicitly from configuration rather than left to the SDK, so it works the same from env vars and config files.
/// </summary>
internal static class DynamoDbClientFactory
{
    public static IAmazonDynamoDB Create(WorkerOptions options)
    {
        var config = new AmazonDynamoDBConfig();
        if (options.DynamoDbEndpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return new AmazonDynamoDBClient(config);
    }
}
