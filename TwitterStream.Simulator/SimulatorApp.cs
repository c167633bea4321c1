using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TwitterStream.Simulator.Auth;
using TwitterStream.Simulator.Faults;
using TwitterStream.Simulator.Ledger;
using TwitterStream.Simulator.Posts;
using TwitterStream.Simulator.Rules;
using TwitterStream.Simulator.Stream;
using TwitterStream.Simulator.Usage;

namespace TwitterStream.Simulator;

/// <summary>
/// The local stand-in for the X API v2 filtered stream. <see cref="Create"/> builds the whole app so tests, benchmarks
/// and the AppHost can run it in-process or as a process (<c>Program.cs</c> only calls it).
/// </summary>
public static class SimulatorApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Simulator:Seed=7</c>, …).</param>
    /// <param name="configure">Lets a caller add configuration or replace services (e.g. a fake <see cref="TimeProvider"/>) before the build.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"])
            && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        services.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection(SimulatorOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Credentials>();
        services.AddSingleton<RuleStore>();
        services.AddSingleton<FaultState>();
        services.AddSingleton<SimStats>();
        services.AddSingleton<UsageMeter>();
        services.AddSingleton<AuthorCatalog>();
        services.AddSingleton<PostSequence>();
        services.AddSingleton<ConnectionGate>();
        services.AddSingleton<StreamSession>();
        services.AddSingleton<MatchHistory>();
        services.AddHostedService<UnattendedMatcher>();
        services.AddSingleton<LedgerWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerWriter>());
        services.AddSingleton<IPostSource>(sp => string.IsNullOrEmpty(sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.ReplayPath)
            ? ActivatorUtilities.CreateInstance<PostGenerator>(sp)
            : ActivatorUtilities.CreateInstance<ReplaySource>(sp));
        services.AddHostedService<PostSourceWarmup>();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapTokenEndpoint();
        var x = app.MapGroup(string.Empty).RequireBearer();
        x.MapRulesEndpoints();
        x.MapStreamEndpoint();
        x.MapUsageEndpoints();
        var sim = app.MapGroup("/_sim");
        sim.MapFaultEndpoints();
        sim.MapLedgerEndpoints();
        app.MapStatsEndpoint();

        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        return app;
    }

    private static void LogStarted(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TwitterStream.Simulator");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        logger.LogInformation(
            "X API v2 simulator listening on {Addresses}. It is a development tool and is bound to loopback by default; do not expose it. " +
            "Seed {Seed}, {PostsPerSecond} posts/s, matching share {MatchingShare}, ledger {Ledger}.",
            string.Join(", ", addresses), options.Seed, options.PostsPerSecond, options.MatchingShare,
            string.IsNullOrEmpty(options.LedgerPath) ? "in memory" : options.LedgerPath);
        foreach (var address in addresses)
        {
            if (!IsLoopback(address))
                logger.LogWarning("The simulator is reachable beyond this machine at {Address}; it accepts fixed development credentials.", address);
        }
    }

    private static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
