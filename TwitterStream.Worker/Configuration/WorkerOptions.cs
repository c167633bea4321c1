using TwitterStream.Contracts;
using TwitterStream.Worker.Pipeline;

namespace TwitterStream.Worker.Configuration;

/// <summary>Everything the worker needs to run, read from the environment and validated before any connection.</summary>
internal sealed class WorkerOptions
{
    public const string DefaultXApiBaseUrl = "https://api.x.com";
    public const string DefaultRuleTag = StreamRuleTag.Default;

    public string TableName { get; set; } = "";
    public string Region { get; set; } = "";
    public string Filter { get; set; } = "";
    public string? ConsumerKey { get; set; }
    public string? ConsumerSecretKey { get; set; }
    public string? BearerToken { get; set; }
    public Uri XApiBaseUrl { get; set; } = new(DefaultXApiBaseUrl);
    public string RuleTag { get; set; } = DefaultRuleTag;

    /// <summary>From <c>AWS_ENDPOINT_URL_DYNAMODB</c> or <c>AWS_ENDPOINT_URL</c>; null means AWS's regional endpoint.</summary>
    public Uri? DynamoDbEndpoint { get; set; }

    public int BufferCapacity { get; set; } = 10_000;
    public int WriteConcurrency { get; set; } = 6;

    /// <summary>
    /// How long a batch short of 25 posts waits for more. At X's 250 posts/s every post would otherwise leave in a
    /// BatchWriteItem of its own, and a call costs far more CPU than a post; at higher rates batches fill before it ends.
    /// </summary>
    public TimeSpan WriteLinger { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long the stream reader waits after a read that held little (a slow stream), so the next read takes the posts
    /// that arrived meanwhile at once: at X's 250 posts/s each post would otherwise wake a thread of its own, and the
    /// posts then reach the writer together, which batches them. A busy stream's reads are large and never wait. 60 ms
    /// (about 15 posts a read at 250 posts/s) brought the Native AOT worker under 5 % of a core there with p99
    /// receive→stored, the pause included, under 100 ms (README, "Room on the smallest task"): 40 ms used about 5.4 %,
    /// 80 ms gave a p99 of 116 ms.
    /// </summary>
    public TimeSpan ReadCoalesce { get; set; } = TimeSpan.FromMilliseconds(60);
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(20);
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Posts the worker may receive per billing cycle before it pauses; null = no budget.</summary>
    public long? MonthlyPostBudget { get; set; }

    /// <summary>How often X's usage is read: 15 minutes stays well inside X's 50 requests per 15 minutes.</summary>
    public TimeSpan UsagePollInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The optional post fields asked for and stored (<see cref="WorkerVariables.PostFields"/>).</summary>
    public PostFieldSelection PostFields { get; set; } = PostFieldSelection.Default;

    /// <summary>The value of the CloudWatch metrics' Deployment dimension (DEPLOYMENT_NAME; the deploy tool sets the stack's name).</summary>
    public string DeploymentName { get; set; } = DefaultDeploymentName;

    public const string DefaultDeploymentName = "twitterstream";

    /// <summary>How often the metrics are written as CloudWatch EMF documents on ECS.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether each connection asks X's backfill to cover the gap since the newest stored post (BACKFILL).</summary>
    public bool Backfill { get; set; } = true;

    /// <summary>Days a post is kept before DynamoDB's TTL deletes it; null = for ever (no expiry attribute written).</summary>
    public int? RetentionDays { get; set; }

    /// <summary>Post ids per X compliance job.</summary>
    public int ComplianceJobSize { get; set; } = 100_000;

    public TimeSpan CompliancePollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>X documents no upper bound for a job; past this the sweep stops, deleting nothing for that job.</summary>
    public TimeSpan ComplianceJobTimeout { get; set; } = TimeSpan.FromHours(6);

    public TimeSpan ComplianceLease { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>One line per variable whose value could not be parsed (it kept its default); reported by the validator.</summary>
    public List<string> UnreadableValues { get; } = [];

    /// <summary>False for a command that does not read the stream (the compliance sweep): no rule is needed then.</summary>
    public bool ReadsStream { get; set; } = true;

    public bool UsesConsumerCredentials => string.IsNullOrEmpty(BearerToken);
}
