namespace TwitterStream.Contracts;

/// <summary>
/// The worker's metrics in CloudWatch, as the worker writes them (Embedded Metric Format on stdout when it runs on ECS)
/// and the deploy tool's alarms and dashboard read them: one namespace, one dimension naming the deployment.
/// </summary>
public static class WorkerCloudWatchMetrics
{
    public const string Namespace = "TwitterStream";

    /// <summary>The dimension's key; its value is <see cref="WorkerVariables.DeploymentName"/> (the stack's name).</summary>
    public const string DeploymentDimension = "Deployment";

    /// <summary>Per interval (the difference of the running totals), unit Count.</summary>
    public const string PostsReceived = "PostsReceived";
    public const string PostsKept = "PostsKept";
    public const string PostsStored = "PostsStored";
    public const string LinesRejected = "LinesRejected";
    public const string Reconnects = "Reconnects";
    public const string WriteRetries = "WriteRetries";
    public const string PostsDeadLettered = "PostsDeadLettered";

    /// <summary>
    /// Recovery per interval: seconds of stream no backfill covered (possibly missed; Seconds), backfill minutes asked
    /// for and posts that arrived again and collapsed (Count).
    /// </summary>
    public const string UncoveredGapSeconds = "UncoveredGapSeconds";
    public const string BackfillMinutes = "BackfillMinutes";
    public const string BackfillDuplicates = "BackfillDuplicates";

    /// <summary>At the end of the interval: posts waiting to be written (Count), the stream's state and pause (1 or 0, None).</summary>
    public const string BufferDepth = "BufferDepth";
    public const string StreamConnected = "StreamConnected";
    public const string StreamPaused = "StreamPaused";

    /// <summary>Receive→stored latency of the posts stored in the interval (Milliseconds); absent when none was stored.</summary>
    public const string LatencyP50 = "LatencyP50";
    public const string LatencyP99 = "LatencyP99";

    /// <summary>X's usage and cap as last read (Count) and their ratio (Percent); absent until X's usage was read.</summary>
    public const string XUsage = "XUsage";
    public const string XCap = "XCap";
    public const string XUsagePercent = "XUsagePercent";

    /// <summary>Posts received in the billing cycle (Count); the budget and its share (Count, Percent) only when one is set.</summary>
    public const string BudgetPosts = "BudgetPosts";
    public const string BudgetLimit = "BudgetLimit";
    public const string BudgetPercent = "BudgetPercent";

    /// <summary>Written once per compliance sweep (Count): post ids checked with X, items deleted and modified, and 1 for a sweep that failed.</summary>
    public const string ComplianceChecked = "ComplianceChecked";
    public const string ComplianceDeleted = "ComplianceDeleted";
    public const string ComplianceModified = "ComplianceModified";
    public const string ComplianceSweepFailed = "ComplianceSweepFailed";
}
