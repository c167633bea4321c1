using TwitterStream.AppHost.XApi;
using TwitterStream.Contracts;

namespace TwitterStream.AppHost.Worker;

/// <summary>The worker's configuration, wired from the resources it depends on (names from <see cref="WorkerVariables"/>).</summary>
public static class WorkerExtensions
{
    public const string XApiBaseUrl = "https://api.x.com";

    /// <summary>
    /// The worker's HTTP endpoint (health, stats). Run locally it listens on loopback only (<c>ASPNETCORE_URLS</c> =
    /// <c>http://localhost:port</c>: 127.0.0.1 and ::1); in the manifest it keeps <c>HTTP_PORTS</c>, every interface
    /// of the container's own network namespace (README, "Local network exposure", says why).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpointOnLoopbackLocally(this IResourceBuilder<ProjectResource> worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        if (worker.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return worker.WithHttpEndpoint(name: "http", env: "HTTP_PORTS");
        }

        worker.WithHttpEndpoint(name: "http");
        var endpoint = worker.GetEndpoint("http");
        return worker.WithEnvironment("ASPNETCORE_URLS", ReferenceExpression.Create($"http://localhost:{endpoint.Property(EndpointProperty.TargetPort)}"));
    }

    /// <summary>Where the stream comes from (the simulator when given, else X) and which posts to keep.</summary>
    public static IResourceBuilder<ProjectResource> WithXStream(
        this IResourceBuilder<ProjectResource> worker, IResourceBuilder<ProjectResource>? simulator,
        IResourceBuilder<ParameterResource> filter, string ruleTag)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(filter);
        worker.WithEnvironment(WorkerVariables.Filter, filter).WithEnvironment(WorkerVariables.RuleTag, ruleTag);
        return simulator is null
            ? worker.WithEnvironment(WorkerVariables.XApiBaseUrl, XApiBaseUrl)
            : worker.WithEnvironment(WorkerVariables.XApiBaseUrl, simulator.GetEndpoint("http")).WaitFor(simulator);
    }

    /// <summary>The posts the worker may receive per billing cycle before it pauses (a plain, non-secret value).</summary>
    public static IResourceBuilder<ProjectResource> WithMonthlyPostBudget(
        this IResourceBuilder<ProjectResource> worker, IResourceBuilder<ParameterResource> budget)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(budget);
        return worker.WithEnvironment(WorkerVariables.MonthlyPostBudget, budget);
    }

    /// <summary>
    /// The X credentials: with an emulated Secrets Manager (LocalStack, moto) the worker reads them back itself through
    /// SSM, as the ECS agent does on Fargate; otherwise straight from the parameters (in the manifest they stay secret
    /// parameter references).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithXCredentials(
        this IResourceBuilder<ProjectResource> worker, XCredentials credentials, IResourceBuilder<IAwsEmulatorResource>? emulator)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(credentials);
        foreach (var credential in credentials.All)
        {
            worker.WithXCredential(credential.WorkerVariable, credential, emulator);
        }

        return worker;
    }
}
