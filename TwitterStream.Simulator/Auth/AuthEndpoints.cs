using Microsoft.AspNetCore.Http.HttpResults;
using TwitterStream.Contracts;

namespace TwitterStream.Simulator.Auth;

/// <summary><c>POST /oauth2/token</c> and the bearer check on every X endpoint, with X's status codes and bodies.</summary>
internal static class AuthEndpoints
{
    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost(XApiPaths.Token, async (HttpRequest request, Credentials credentials) =>
        {
            if (!credentials.IsValidBasic(request.Headers.Authorization))
                return TokenError(99, "Unable to verify your credentials", "authenticity_token_error");
            var form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : null;
            var grantType = form?["grant_type"].ToString();
            if (string.IsNullOrEmpty(grantType))
                return TokenError(170, "Missing required parameter: grant_type", "forbidden_missing_parameter");
            if (grantType != "client_credentials")
                return TokenError(99, "invalid_grant_type_value parameter is invalid", "authenticity_token_error");
            return Results.Json(new { token_type = "bearer", access_token = credentials.BearerToken });
        });

    /// <summary>The v1.1-style error body X's token endpoint answers with (always 403).</summary>
    private static IResult TokenError(int code, string message, string label) =>
        Results.Json(new { errors = new[] { new { code, message, label } } }, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>401 in X's problem shape unless <c>Authorization: Bearer</c> carries the simulator's token.</summary>
    public static TBuilder RequireBearer<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var credentials = context.HttpContext.RequestServices.GetRequiredService<Credentials>();
            if (credentials.IsValidBearer(context.HttpContext.Request.Headers.Authorization)) return await next(context);
            return Unauthorized();
        });

    private static JsonHttpResult<object> Unauthorized() => TypedResults.Json<object>(
        new { title = "Unauthorized", type = "about:blank", status = 401, detail = "Unauthorized" },
        statusCode: StatusCodes.Status401Unauthorized);
}
