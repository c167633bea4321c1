using System.Globalization;
using System.Text.Json.Nodes;
using TwitterStream.Contracts;

namespace TwitterStream.Simulator.Usage;

/// <summary><c>GET /2/usage/tweets</c> in X's shape: cap and usage as strings of digits, and the cap's reset day.</summary>
internal static class UsageEndpoints
{
    public const string ProjectId = "1000000000000000001";

    public static void MapUsageEndpoints(this RouteGroupBuilder x) =>
        x.MapGet(XApiPaths.Usage, (UsageMeter usage) =>
        {
            var (used, _) = usage.Read();
            return Results.Json(new JsonObject
            {
                [XUsage.Data] = new JsonObject
                {
                    [XUsage.CapResetDay] = usage.Options.CapResetDay,
                    [XUsage.ProjectCap] = usage.Options.Cap.ToString(CultureInfo.InvariantCulture),
                    [XUsage.ProjectId] = ProjectId,
                    [XUsage.ProjectUsage] = used.ToString(CultureInfo.InvariantCulture),
                },
            });
        });
}
