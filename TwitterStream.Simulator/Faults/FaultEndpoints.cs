using System.Text.Json;

namespace TwitterStream.Simulator.Faults;

/// <summary><c>GET/POST /_sim/faults</c>: read or replace the faults in force (the JSON shape of <see cref="FaultOptions"/>).</summary>
internal static class FaultEndpoints
{
    public static void MapFaultEndpoints(this RouteGroupBuilder sim)
    {
        sim.MapGet("/faults", (FaultState state) => Results.Json(state.Current));
        sim.MapPost("/faults", async (HttpRequest request, FaultState state) =>
        {
            FaultOptions? faults;
            try
            {
                faults = await JsonSerializer.DeserializeAsync<FaultOptions>(request.Body, JsonSerializerOptions.Web, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return XProblems.InvalidRequest($"The faults body is not valid JSON for the Faults shape: {e.Message}");
            }
            if (faults is null) return XProblems.InvalidRequest("The faults body is empty; send a JSON object such as {\"closeEveryPosts\":10}.");
            var errors = FaultOptionsValidator.Validate(faults, "").ToArray();
            if (errors.Length > 0) return XProblems.InvalidRequest(string.Join(" ", errors));
            state.Replace(faults);
            return Results.Json(state.Current);
        });
    }
}
