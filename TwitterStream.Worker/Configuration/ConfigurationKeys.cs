namespace TwitterStream.Worker.Configuration;

/// <summary>The flat environment variable names the worker reads (the walkthrough's names plus a few tuning knobs).</summary>
public static class ConfigurationKeys
{
    public const string Table = "DYNAMODBTABLE";
    public const string Region = "AWSREGION";
    public const string SdkRegion = "AWS_REGION";
    public const string Filter = "FILTER";
    public const string ConsumerKey = "CONSUMERKEY";
    public const string ConsumerSecretKey = "CONSUMERSECRETKEY";
    public const string BearerToken = "BEARERTOKEN";
    public const string XApiBaseUrl = "X_API_BASE_URL";
    public const string RuleTag = "RULE_TAG";
    public const string DynamoDbEndpoint = "AWS_ENDPOINT_URL_DYNAMODB";
    public const string AwsEndpoint = "AWS_ENDPOINT_URL";
    public const string BufferCapacity = "BUFFER_CAPACITY";
    public const string WriteConcurrency = "WRITE_CONCURRENCY";
    public const string StallTimeoutSeconds = "STALL_TIMEOUT_SECONDS";
    public const string SummaryIntervalSeconds = "SUMMARY_INTERVAL_SECONDS";
}
