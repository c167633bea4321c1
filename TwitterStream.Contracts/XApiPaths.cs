namespace TwitterStream.Contracts;

/// <summary>The X API v2 paths the worker calls, and the simulator and test stand-ins serve.</summary>
public static class XApiPaths
{
    public const string Token = "/oauth2/token";
    public const string Rules = "/2/tweets/search/stream/rules";
    public const string Stream = "/2/tweets/search/stream";
    public const string Usage = "/2/usage/tweets";

    /// <summary>Batch compliance: POST creates a job, GET <c>{ComplianceJobs}/{id}</c> reads one.</summary>
    public const string ComplianceJobs = "/2/compliance/jobs";
}
