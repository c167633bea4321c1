using Aspire.Hosting.Publishing;
using Schema = TwitterStream.Contracts.ManifestSchema.FargateService;

namespace Aspire.Hosting;

/// <summary>How the deploy tool sizes and runs a project on Fargate.</summary>
public sealed record FargateSettings
{
    public string Cpu { get; init; } = "256";
    public string Memory { get; init; } = "512";
    public int DesiredCount { get; init; } = 1;
    public int LogRetentionInDays { get; init; } = 30;
    public int ContainerPort { get; init; } = 8080;
    public string HealthCheckPath { get; init; } = "/health";
    public int StopTimeoutSeconds { get; init; } = 30;

    /// <summary><see cref="Schema.X86_64"/> or <see cref="Schema.Arm64"/> (Graviton, cheaper per vCPU-hour).</summary>
    public string CpuArchitecture { get; init; } = Schema.X86_64;

    /// <summary>Fargate Spot: cheaper, and the task may be stopped with a two-minute warning.</summary>
    public bool Spot { get; init; }

    /// <summary>When the deployment's CloudWatch alarms fire.</summary>
    public TwitterStream.Contracts.AlarmThresholds Alarms { get; init; } = new();
}

/// <summary>
/// How the deploy tool runs a project on Fargate (<c>aws.fargate.service.v0</c>). It exists only in the manifest: the
/// AppHost owns these settings so the deploy tool keeps none of its own.
/// </summary>
public sealed class FargateServiceResource(string name, IResource project, FargateSettings settings) : Resource(name)
{
    public IResource Project { get; } = project;

    public FargateSettings Settings { get; } = settings;

    /// <summary>The service's manifest entry, which the deploy tool reads back through <see cref="Schema"/>.</summary>
    public void WriteToManifest(ManifestPublishingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var writer = context.Writer;
        writer.WriteString("type", Schema.Type);
        writer.WriteString(Schema.Project, Project.Name);
        writer.WriteString(Schema.Cpu, Settings.Cpu);
        writer.WriteString(Schema.Memory, Settings.Memory);
        writer.WriteNumber(Schema.DesiredCount, Settings.DesiredCount);
        writer.WriteNumber(Schema.LogRetentionInDays, Settings.LogRetentionInDays);
        writer.WriteNumber(Schema.ContainerPort, Settings.ContainerPort);
        writer.WriteString(Schema.HealthCheckPath, Settings.HealthCheckPath);
        writer.WriteNumber(Schema.StopTimeoutSeconds, Settings.StopTimeoutSeconds);
        writer.WriteString(Schema.CpuArchitecture, Settings.CpuArchitecture);
        writer.WriteBoolean(Schema.Spot, Settings.Spot);
        writer.WriteStartObject(Schema.Alarms);
        foreach (var (name, _, _, read) in TwitterStream.Contracts.AlarmThresholds.Ranges)
        {
            writer.WriteNumber(name, read(Settings.Alarms));
        }

        writer.WriteEndObject();
    }
}

public static class FargateServiceResourceExtensions
{
    /// <summary>
    /// In publish mode, adds <c>&lt;project&gt;-fargate</c> describing the service, with the project's http endpoint on
    /// the container port; in run mode nothing changes.
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishAsFargateService(
        this IResourceBuilder<ProjectResource> project, FargateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(settings);
        if (!project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return project;
        }

        var service = new FargateServiceResource($"{project.Resource.Name}-fargate", project.Resource, settings);
        project.ApplicationBuilder.AddResource(service).WithManifestPublishingCallback(service.WriteToManifest);
        return project;
    }
}
