namespace TwitterStream.Simulator;

/// <summary>Error bodies shaped like X's problem objects, shared by every endpoint.</summary>
internal static class XProblems
{
    public static IResult InvalidRequest(string message) => Results.Json(new
    {
        errors = new[] { new { parameters = new { }, message } },
        title = "Invalid Request",
        detail = "One or more parameters to your request was invalid.",
        type = "https://api.x.com/2/problems/invalid-request",
    }, statusCode: StatusCodes.Status400BadRequest);

    public static IResult TooManyConnections() => Results.Json(new
    {
        title = "ConnectionException",
        detail = "This stream is currently at the maximum allowed connection limit.",
        connection_issue = "TooManyConnections",
        type = "https://api.x.com/2/problems/streaming-connection",
    }, statusCode: StatusCodes.Status429TooManyRequests);

    public static IResult NoRules() => Results.Json(new
    {
        title = "ConnectionException",
        detail = "This stream has no rules. Add at least one rule with POST /2/tweets/search/stream/rules before connecting.",
        connection_issue = "RulesNotFound",
        type = "https://api.x.com/2/problems/streaming-connection",
    }, statusCode: StatusCodes.Status409Conflict);

    /// <summary>X's answer once the project's monthly cap of post reads is used up.</summary>
    public static IResult UsageCapped() => Results.Json(new
    {
        title = "UsageCapExceeded",
        period = "Monthly",
        scope = "Product",
        detail = "Usage cap exceeded: Monthly product cap",
        type = TwitterStream.Contracts.XUsage.UsageCappedProblemType,
    }, statusCode: StatusCodes.Status429TooManyRequests);

    /// <summary>X's 403 for a feature the app's plan does not include (here <c>backfill_minutes</c>, Simulator:RefuseBackfill).</summary>
    public static IResult ClientForbidden(string detail) => Results.Json(new
    {
        title = "Client Forbidden",
        detail,
        reason = "client-not-enrolled",
        required_enrollment = "Appropriate Level of API Access",
        type = "https://api.x.com/2/problems/client-forbidden",
    }, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>The plain HTTP-status problem X answers with when it refuses a connection (rate limit, overload).</summary>
    public static IResult Status(int status)
    {
        var title = status == StatusCodes.Status429TooManyRequests ? "Too Many Requests" : "Service Unavailable";
        return Results.Json(new { title, detail = title, type = "about:blank", status }, statusCode: status);
    }
}
