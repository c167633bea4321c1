using TwitterStream.AppHost.XApi;
using TwitterStream.Contracts;

namespace TwitterStream.AppHost.Worker;

/// <summary>The worker's configuration, wired from the resources it depends on (names from <see cref="WorkerVariables"/>).</summary>
public static class WorkerExtensions
{
    public const string XApiBaseUrl = "https://api.x.com";

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
    /// The X credentials: with LocalStack read back from its Secrets Manager as the ECS agent would deliver them,
    /// otherwise straight from the parameters (in the manifest they stay secret parameter references).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithXCredentials(
        this IResourceBuilder<ProjectResource> worker, XCredentials credentials, IResourceBuilder<IAwsEmulatorResource>? emulator)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(credentials);
        foreach (var credential in credentials.All)
        {
            if (emulator is IResourceBuilder<LocalStackResource> localStack)
            {
                worker.WithEnvironmentFromSecret(credential.WorkerVariable, localStack, credential.SecretName);
            }
            else
            {
                worker.WithEnvironment(credential.WorkerVariable, credential.Parameter);
            }
        }

        return worker;
    }
}
