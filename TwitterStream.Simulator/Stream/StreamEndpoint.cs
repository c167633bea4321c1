using Microsoft.Extensions.Options;
using TwitterStream.Contracts;
using TwitterStream.Simulator.Faults;
using TwitterStream.Simulator.Ledger;
using TwitterStream.Simulator.Rules;
using TwitterStream.Simulator.Usage;

namespace TwitterStream.Simulator.Stream;

/// <summary><c>GET /2/tweets/search/stream</c>: refusals in X's order and shape, then one <see cref="StreamSession"/>.</summary>
internal static class StreamEndpoint
{
    public static void MapStreamEndpoint(this RouteGroupBuilder x) =>
        x.MapGet(XApiPaths.Stream, async (HttpContext context, RuleStore rules, FaultState faults, ConnectionGate gate,
            SimStats stats, UsageMeter usage, StreamSession session, IOptions<SimulatorOptions> options, IHostApplicationLifetime lifetime) =>
        {
            var fields = StreamFields.Parse(context.Request.Query, out var error);
            if (fields is null) return XProblems.InvalidRequest(error!);
            var backfill = BackfillRequest.Parse(context.Request.Query, out error);
            if (backfill is null) return XProblems.InvalidRequest(error!);
            if (backfill > 0 && options.Value.RefuseBackfill)
            {
                stats.BackfillRefused();
                return XProblems.ClientForbidden($"{BackfillRequest.Parameter} is not available on this plan (Simulator:RefuseBackfill).");
            }
            if (usage.CapReached)
            {
                stats.Rejected();
                return XProblems.UsageCapped();
            }
            if (faults.TryTakeRejection())
            {
                stats.Rejected();
                return XProblems.Status(faults.Current.RejectStatus);
            }
            if (rules.Snapshot.Length == 0) return XProblems.NoRules();
            if (!gate.TryEnter())
            {
                stats.Rejected();
                return XProblems.TooManyConnections();
            }

            try
            {
                stats.Connection();
                using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
                await session.RunAsync(context.Response, fields, backfill.Value, ended.Token);
            }
            catch (OperationCanceledException)
            {
                // The client went away or the simulator is stopping: the stream simply ends.
            }
            finally
            {
                stats.Disconnect();
                gate.Exit();
            }
            return Results.Empty;
        });
}
