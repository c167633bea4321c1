namespace TwitterStream.Tests.Reliability;

/// <summary>
/// How hard the reliability scenarios push. CI runs <see cref="Small"/> (seconds per test); <c>TWITTERSTREAM_RELIABILITY=long</c>
/// runs the same tests at <see cref="Long"/> scale, with X's real stall timeout and backoff waits and a 30 s DynamoDB outage.
/// </summary>
public sealed record ReliabilityScale(
    string Name,
    int PostsPerRun,
    double PostsPerSecond,
    int DisconnectEveryPosts,
    int DuplicateEveryPosts,
    int StallAfterPosts,
    TimeSpan StallTimeout,
    int Rejected503,
    int Rejected429,
    TimeSpan DynamoOutage,
    TimeSpan WritesFailing,
    int HostileLines,
    TimeSpan Settle)
{
    public const string Variable = "TWITTERSTREAM_RELIABILITY";

    public static ReliabilityScale Small { get; } = new(
        Name: "small",
        PostsPerRun: 1_500,
        PostsPerSecond: 1_000,
        DisconnectEveryPosts: 250,
        DuplicateEveryPosts: 10,
        StallAfterPosts: 1_000,
        StallTimeout: TimeSpan.FromSeconds(3),
        Rejected503: 2,
        Rejected429: 1,
        DynamoOutage: TimeSpan.FromSeconds(5),
        WritesFailing: TimeSpan.FromSeconds(6),
        HostileLines: 10_000,
        Settle: TimeSpan.FromSeconds(60));

    public static ReliabilityScale Long { get; } = new(
        Name: "long",
        PostsPerRun: 20_000,
        PostsPerSecond: 2_000,
        DisconnectEveryPosts: 500,
        DuplicateEveryPosts: 10,
        StallAfterPosts: 7_000,
        StallTimeout: TimeSpan.FromSeconds(20),
        Rejected503: 4,
        Rejected429: 2,
        DynamoOutage: TimeSpan.FromSeconds(30),
        WritesFailing: TimeSpan.FromSeconds(60),
        HostileLines: 100_000,
        Settle: TimeSpan.FromSeconds(300));

    public static ReliabilityScale Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable(Variable), "long", StringComparison.OrdinalIgnoreCase) ? Long : Small;

    public bool IsLong => ReferenceEquals(this, Long);
}
