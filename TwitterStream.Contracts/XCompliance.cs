namespace TwitterStream.Contracts;

/// <summary>
/// X's batch compliance contract, as the worker's sweep speaks it and the simulator serves it.
/// <c>POST /2/compliance/jobs</c> with <c>{"type":"tweets"}</c> answers <c>{"data":{"id","type","status","upload_url",
/// "upload_expires_at","download_url","download_expires_at","created_at"}}</c>; the ids go one per line (PUT,
/// <c>text/plain</c>, no bearer) to <c>upload_url</c>; <c>GET /2/compliance/jobs/:id</c> answers the same object until
/// <c>status</c> is <see cref="Complete"/>; <c>download_url</c> then holds one JSON line per id that needs action.
/// </summary>
public static class XCompliance
{
    public const string Data = "data";
    public const string Id = "id";
    public const string Type = "type";
    public const string Name = "name";
    public const string Status = "status";
    public const string UploadUrl = "upload_url";
    public const string UploadExpiresAt = "upload_expires_at";
    public const string DownloadUrl = "download_url";
    public const string DownloadExpiresAt = "download_expires_at";
    public const string CreatedAt = "created_at";

    /// <summary>The job type for post ids.</summary>
    public const string TweetsType = "tweets";

    // A job's statuses.
    public const string Created = "created";
    public const string InProgress = "in_progress";
    public const string Complete = "complete";
    public const string Failed = "failed";
    public const string Expired = "expired";

    // One result line: {"id","action","created_at","redacted_at","reason"}.
    public const string Action = "action";
    public const string Reason = "reason";
    public const string RedactedAt = "redacted_at";

    /// <summary>The action that asks for the stored post to be removed.</summary>
    public const string DeleteAction = "delete";

    /// <summary>The reason whose action may ask only to remove the post's location, not the post.</summary>
    public const string ScrubGeoReason = "scrub_geo";

    /// <summary>The reasons X names (a line with another is still acted on by its action).</summary>
    public static readonly IReadOnlyList<string> Reasons = ["deleted", "protected", "suspended", "deactivated", ScrubGeoReason];

    /// <summary>The simulator's controls (not X's): mark posts as needing action, make the next jobs fail.</summary>
    public static class SimulatorControls
    {
        /// <summary>POST a JSON object of post id to reason, e.g. <c>{"123":"deleted"}</c>.</summary>
        public const string MarksPath = "/_sim/compliance/marks";

        /// <summary>POST <c>?jobs=N</c>: the next N jobs created fail once processed.</summary>
        public const string FailPath = "/_sim/compliance/fail";
    }

    /// <summary>The job object's path.</summary>
    public static string JobPath(string jobId) => $"{XApiPaths.ComplianceJobs}/{Uri.EscapeDataString(jobId)}";
}
