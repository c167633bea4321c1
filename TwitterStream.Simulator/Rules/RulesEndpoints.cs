using System.Text.Json;
using TwitterStream.Contracts;
using TwitterStream.Simulator.Posts;

namespace TwitterStream.Simulator.Rules;

/// <summary><c>GET</c> and <c>POST /2/tweets/search/stream/rules</c> with X's response shapes.</summary>
internal static class RulesEndpoints
{
    private const string InvalidRulesType = "https://api.x.com/2/problems/invalid-rules";

    public static void MapRulesEndpoints(this RouteGroupBuilder x)
    {
        x.MapGet(XApiPaths.Rules, (string? ids, RuleStore store, TimeProvider time) =>
        {
            var wanted = ids?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            var rules = store.Snapshot.Where(r => wanted is null || wanted.Contains(r.Id)).Select(Describe).ToArray();
            var meta = new { sent = Sent(time), result_count = rules.Length };
            return rules.Length == 0 ? Results.Json(new { meta }) : Results.Json(new { data = rules, meta });
        });

        x.MapPost(XApiPaths.Rules, async (HttpRequest request, RuleStore store, TimeProvider time) =>
        {
            var dryRun = IsTrue(request.Query["dry_run"]);
            if (IsTrue(request.Query["delete_all"]))
                return Delete(store, store.Snapshot.Select(r => r.Id).ToList(), dryRun, time);

            JsonDocument body;
            try
            {
                body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return XProblems.InvalidRequest($"The request body is not valid JSON: {e.Message}");
            }
            using (body)
            {
                var root = body.RootElement;
                var add = default(JsonElement);
                var delete = default(JsonElement);
                var hasAdd = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("add", out add);
                var hasDelete = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("delete", out delete);
                if (hasAdd == hasDelete)
                    return XProblems.InvalidRequest("The request body must contain exactly one of \"add\" or \"delete\".");
                return hasAdd ? Add(store, add, dryRun, time) : DeleteFromBody(store, delete, dryRun, time);
            }
        });
    }

    private static IResult Add(RuleStore store, JsonElement add, bool dryRun, TimeProvider time)
    {
        if (add.ValueKind != JsonValueKind.Array || add.GetArrayLength() == 0)
            return XProblems.InvalidRequest("\"add\" must be a non-empty array of {\"value\":…, \"tag\":…} objects.");

        var created = new List<StreamRule>();
        var errors = new List<object>();
        var invalid = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in add.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.String)
                return XProblems.InvalidRequest("Each rule in \"add\" needs a string \"value\".");
            var value = v.GetString()!;
            string? tag = item.TryGetProperty("tag", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var existing = store.FindByValue(value);
            if (existing is not null || !seen.Add(value))
            {
                errors.Add(new { value, id = existing?.Id, title = "DuplicateRule", type = "https://api.x.com/2/problems/duplicate-rules" });
                continue;
            }
            try
            {
                created.Add(new StreamRule(store.NextId(), value, tag, RuleParser.Parse(value)));
            }
            catch (RuleSyntaxException e)
            {
                invalid++;
                errors.Add(new { value, details = new[] { e.Message }, title = "UnprocessableEntity", type = InvalidRulesType });
            }
        }

        if (store.Snapshot.Length + created.Count > RuleStore.MaxRules)
        {
            return Results.Json(new
            {
                errors = new[] { new { title = "RulesCapExceeded", detail = $"Adding {created.Count} rules would exceed the limit of {RuleStore.MaxRules} rules; delete some first.", type = "https://api.x.com/2/problems/rule-cap" } },
            }, statusCode: StatusCodes.Status403Forbidden);
        }

        // As on X, one invalid rule rejects the whole request; duplicates alone are only skipped.
        var rejected = invalid > 0;
        if (!rejected && !dryRun) store.Add(created);
        var summary = new
        {
            created = rejected ? 0 : created.Count,
            not_created = rejected ? created.Count + errors.Count : errors.Count,
            valid = created.Count,
            invalid = errors.Count,
        };
        var meta = new { sent = Sent(time), summary };
        var data = rejected ? null : created.Select(Describe).ToArray();
        object response = (data is { Length: > 0 }, errors.Count > 0) switch
        {
            (true, true) => new { data, meta, errors },
            (true, false) => new { data, meta },
            (false, true) => new { meta, errors },
            _ => new { meta },
        };
        return Results.Json(response, statusCode: rejected ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static IResult DeleteFromBody(RuleStore store, JsonElement delete, bool dryRun, TimeProvider time)
    {
        var ids = new List<string>();
        if (delete.ValueKind == JsonValueKind.Object && delete.TryGetProperty("ids", out var idList) && idList.ValueKind == JsonValueKind.Array)
            ids.AddRange(idList.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()));
        if (delete.ValueKind == JsonValueKind.Object && delete.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
            ids.AddRange(values.EnumerateArray().Select(e => store.FindByValue(e.GetString() ?? "")?.Id ?? e.GetString() ?? ""));
        if (ids.Count == 0)
            return XProblems.InvalidRequest("\"delete\" must contain a non-empty \"ids\" (or \"values\") array.");
        return Delete(store, ids, dryRun, time);
    }

    private static IResult Delete(RuleStore store, List<string> ids, bool dryRun, TimeProvider time)
    {
        var existing = store.Snapshot.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var found = dryRun ? ids.Where(existing.Contains).ToHashSet() : store.Remove(ids);
        var missing = ids.Where(id => !found.Contains(id)).ToArray();
        var meta = new { sent = Sent(time), summary = new { deleted = found.Count, not_deleted = missing.Length } };
        if (missing.Length == 0) return Results.Json(new { meta });
        var errors = missing.Select(id => new { id, title = "RuleNotFound", detail = $"No rule with id {id}.", type = InvalidRulesType });
        return Results.Json(new { meta, errors });
    }

    private static object Describe(StreamRule r) => r.Tag is null
        ? new { id = r.Id, value = r.Value }
        : new { id = r.Id, value = r.Value, tag = r.Tag };

    private static string Sent(TimeProvider time) => StreamJson.FormatTime(time.GetUtcNow());

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) =>
        string.Equals(value.ToString(), "true", StringComparison.OrdinalIgnoreCase);
}
