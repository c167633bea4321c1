using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TwitterStream.Contracts;

namespace TwitterStream.Simulator.Compliance;

/// <summary>
/// X's batch compliance endpoints (bearer required), the pre-signed upload and download URLs the simulator serves
/// itself (no bearer, as storage URLs take none), and <c>/_sim/compliance/…</c> to mark posts and make jobs fail.
/// </summary>
internal static class ComplianceEndpoints
{
    public const string UploadPath = "/_sim/compliance/upload";
    public const string DownloadPath = "/_sim/compliance/download";
    public const string MarksPath = XCompliance.SimulatorControls.MarksPath;
    public const string FailPath = XCompliance.SimulatorControls.FailPath;

    public static void MapComplianceEndpoints(this RouteGroupBuilder x)
    {
        x.MapPost(XApiPaths.ComplianceJobs, async (HttpRequest request, ComplianceJobs jobs) =>
        {
            JsonObject? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body?[XCompliance.Type]?.GetValueKind() != JsonValueKind.String || (string?)body[XCompliance.Type] != XCompliance.TweetsType)
            {
                return XProblems.InvalidRequest($"The body must be a JSON object with \"type\":\"{XCompliance.TweetsType}\" (the simulator serves post jobs only).");
            }

            var name = body[XCompliance.Name]?.GetValueKind() == JsonValueKind.String ? (string?)body[XCompliance.Name] : null;
            var job = jobs.TryCreate(name);
            return job is null
                ? XProblems.InvalidRequest("There is already an active compliance job of type tweets; wait until it is complete, failed or expired.")
                : Results.Json(new JsonObject { [XCompliance.Data] = JobObject(job, jobs, request) });
        });

        x.MapGet(XApiPaths.ComplianceJobs + "/{id}", (string id, HttpRequest request, ComplianceJobs jobs) =>
            jobs.Find(id) is { } job
                ? Results.Json(new JsonObject { [XCompliance.Data] = JobObject(job, jobs, request) })
                : Results.Json(new
                {
                    errors = new[] { new { value = id, detail = $"Could not find compliance job with id: [{id}].", title = "Not Found Error", resource_type = "job", parameter = "id", resource_id = id, type = "https://api.x.com/2/problems/resource-not-found" } },
                }));

        x.MapGet(XApiPaths.ComplianceJobs, (HttpRequest request, ComplianceJobs jobs) =>
            Results.Json(new JsonObject { [XCompliance.Data] = new JsonArray([.. jobs.All().Select(job => (JsonNode)JobObject(job, jobs, request))]) }));
    }

    public static void MapComplianceStorage(this IEndpointRouteBuilder app)
    {
        app.MapPut(UploadPath + "/{id}", async (string id, HttpRequest request, ComplianceJobs jobs) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            return jobs.Upload(id, body)
                ? Results.Ok()
                : Results.Text("<Error><Code>AccessDenied</Code><Message>Request has expired or the job takes no upload</Message></Error>", "application/xml", statusCode: StatusCodes.Status403Forbidden);
        });

        app.MapGet(DownloadPath + "/{id}", (string id, ComplianceJobs jobs) =>
            jobs.Find(id) is { } job && jobs.Status(job) == XCompliance.Complete
                ? Results.Text(jobs.Results(job), "application/json")
                : Results.Text("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>", "application/xml", statusCode: StatusCodes.Status404NotFound));
    }

    public static void MapComplianceControls(this RouteGroupBuilder sim)
    {
        // {"123":"deleted","456":"protected"}: those ids need action from now on.
        sim.MapPost(MarksPath["/_sim".Length..], async (HttpRequest request, ComplianceMarks marks) =>
        {
            Dictionary<string, string>? marked;
            try
            {
                marked = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return XProblems.InvalidRequest($"The marks body must be a JSON object of post id to reason, e.g. {{\"123\":\"deleted\"}}: {e.Message}");
            }

            foreach (var (id, reason) in marked ?? [])
            {
                marks.Mark(id, reason);
            }

            return Results.Ok(new { marked = marked?.Count ?? 0 });
        });

        // ?jobs=N: the next N jobs created fail once processed.
        sim.MapPost(FailPath["/_sim".Length..], (int? jobs, ComplianceJobs all) =>
        {
            all.FailNext(jobs ?? 1);
            return Results.Ok(new { failing = jobs ?? 1 });
        });
    }

    private static JsonObject JobObject(ComplianceJob job, ComplianceJobs jobs, HttpRequest request)
    {
        var origin = $"{request.Scheme}://{request.Host}";
        return new JsonObject
        {
            [XCompliance.Type] = XCompliance.TweetsType,
            [XCompliance.Id] = job.Id,
            [XCompliance.CreatedAt] = Timestamp(job.CreatedAt),
            [XCompliance.Name] = job.Name,
            [XCompliance.UploadUrl] = $"{origin}{UploadPath}/{job.Id}",
            [XCompliance.UploadExpiresAt] = Timestamp(job.UploadExpiresAt),
            [XCompliance.DownloadUrl] = $"{origin}{DownloadPath}/{job.Id}",
            [XCompliance.DownloadExpiresAt] = Timestamp(job.CreatedAt.AddDays(7)),
            [XCompliance.Status] = jobs.Status(job),
        };
    }

    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
