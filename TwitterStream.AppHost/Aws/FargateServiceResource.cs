namespace TwitterStream.AppHost.Aws;

/// <summary>
/// How the deploy tool runs a project on Fargate (<c>aws.fargate.service.v0</c>). It exists only in the manifest: the
/// AppHost owns these settings so the deploy tool keeps none of its own.
/// </summary>
public sealed class FargateServiceResource(string name, IResource project, FargateSettings settings) : Resource(name)
{
    public const string ManifestType = "aws.fargate.service.v0";

    public IResource Project { get; } = project;

    public FargateSettings Settings { get; } = settings;
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
        if (!project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return project;
        }

        var service = new FargateServiceResource($"{project.Resource.Name}-fargate", project.Resource, settings);
        project.ApplicationBuilder.AddResource(service).WithManifestPublishingCallback(context =>
        {
            var writer = context.Writer;
            writer.WriteString("type", FargateServiceResource.ManifestType);
            writer.WriteString("project", service.Project.Name);
            writer.WriteString("cpu", settings.Cpu);
            writer.WriteString("memory", settings.Memory);
            writer.WriteNumber("desiredCount", settings.DesiredCount);
            writer.WriteNumber("logRetentionInDays", settings.LogRetentionInDays);
            writer.WriteNumber("containerPort", settings.ContainerPort);
            writer.WriteString("healthCheckPath", settings.HealthCheckPath);
            writer.WriteNumber("stopTimeoutSeconds", settings.StopTimeoutSeconds);
        });
        return project;
    }
}
