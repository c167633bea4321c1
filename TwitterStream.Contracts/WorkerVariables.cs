namespace TwitterStream.Contracts;

/// <summary>
/// The flat environment variable names the worker reads (the walkthrough's names plus a few tuning knobs), as the
/// AppHost, the deploy tool's task definition and the test harness set them.
/// </summary>
public static class WorkerVariables
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
    public const string AccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string BufferCapacity = "BUFFER_CAPACITY";
    public const string WriteConcurrency = "WRITE_CONCURRENCY";

    /// <summary>Milliseconds a batch short of 25 posts waits for more before it is written (0: written at once).</summary>
    public const string WriteLingerMilliseconds = "WRITE_LINGER_MS";

    /// <summary>Milliseconds the stream reader waits after a small read, so the next read takes several posts (0: never).</summary>
    public const string ReadCoalesceMilliseconds = "READ_COALESCE_MS";
    public const string StallTimeoutSeconds = "STALL_TIMEOUT_SECONDS";
    public const string SummaryIntervalSeconds = "SUMMARY_INTERVAL_SECONDS";

    /// <summary>Posts the worker may receive per billing cycle (empty or <c>none</c>: no budget).</summary>
    public const string MonthlyPostBudget = "MONTHLY_POST_BUDGET";
    /// <summary>
    /// Optional post fields to add (<c>+name</c>) or remove (<c>-name</c>) from the stored defaults, by X's
    /// <c>tweet.fields</c>/<c>user.fields</c> names, comma separated (empty: lang, conversation_id, referenced_tweets,
    /// entities, name).
    /// </summary>
    public const string PostFields = "POST_FIELDS";

    /// <summary><c>true</c>: each item also holds the stream line as X sent it (attribute <c>raw</c>); default <c>false</c>.</summary>
    public const string StoreRawPost = "STORE_RAW_POST";

    /// <summary>
    /// <c>auto</c> (default): on every connection ask X for <c>backfill_minutes</c> covering the gap since the newest
    /// post durably stored (at most 5); <c>off</c>: never ask.
    /// </summary>
    public const string Backfill = "BACKFILL";

    public const string UsagePollIntervalSeconds = "USAGE_POLL_INTERVAL_SECONDS";

    /// <summary>The deployment's name (the deploy tool sets the stack's), the value of the worker's CloudWatch metrics' dimension.</summary>
    public const string DeploymentName = "DEPLOYMENT_NAME";

    /// <summary>How often the worker writes its CloudWatch metrics on ECS (seconds, default 60).</summary>
    public const string MetricsIntervalSeconds = "METRICS_INTERVAL_SECONDS";

    /// <summary>
    /// Days a post is kept (empty: for ever). When set, each new item gets <see cref="PostsTableSchema.ExpiresAt"/> =
    /// received + this many days, and the table's TTL deletes it after that.
    /// </summary>
    public const string RetentionDays = "RETENTION_DAYS";

    /// <summary>The worker's first argument that runs one compliance sweep instead of the stream.</summary>
    public const string ComplianceSweepCommand = "compliance-sweep";

    /// <summary>Post ids per X compliance job in a sweep (default 100000).</summary>
    public const string ComplianceJobSize = "COMPLIANCE_JOB_SIZE";

    /// <summary>How often a sweep asks X for its job's status (seconds, default 30).</summary>
    public const string CompliancePollIntervalSeconds = "COMPLIANCE_POLL_INTERVAL_SECONDS";

    /// <summary>How long a sweep waits for one job to complete before giving up without deleting (seconds, default 21600).</summary>
    public const string ComplianceJobTimeoutSeconds = "COMPLIANCE_JOB_TIMEOUT_SECONDS";

    /// <summary>
    /// How long a sweep's hold on the table lasts without renewal (seconds, default 120): a sweep that was killed is
    /// taken over by the next one after this long.
    /// </summary>
    public const string ComplianceLeaseSeconds = "COMPLIANCE_LEASE_SECONDS";

    /// <summary>Set by ECS in every container (task metadata endpoint v4): its presence means the worker runs on ECS.</summary>
    public const string EcsContainerMetadataUri = "ECS_CONTAINER_METADATA_URI_V4";
}
