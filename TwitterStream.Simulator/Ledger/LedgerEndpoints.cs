using TwitterStream.Contracts;
using TwitterStream.Simulator.Rules;

namespace TwitterStream.Simulator.Ledger;

/// <summary><c>GET /_sim/ledger</c> (NDJSON, everything sent so far) and <c>GET /_sim/stats</c>.</summary>
internal static class LedgerEndpoints
{
    public static void MapLedgerEndpoints(this RouteGroupBuilder sim)
    {
        sim.MapGet("/ledger", async (HttpContext context, LedgerWriter ledger) =>
        {
            context.Response.ContentType = "application/x-ndjson; charset=utf-8";
            await ledger.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
    }

    /// <summary><c>GET /_sim/stats</c> (its path is the contract's, beside the ledger's group).</summary>
    public static void MapStatsEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet(SimulatorStats.Path, (SimStats stats, RuleStore rules) => Results.Json(stats.Snapshot(rules.Snapshot.Length)));
}
