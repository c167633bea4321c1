using Aspire.Hosting.Publishing;
using Schema = TwitterStream.Contracts.ManifestSchema.ScheduledTask;

namespace Aspire.Hosting;

/// <summary>
/// A project's command run on a schedule as an ECS task of its own, from the project's image
/// (<c>aws.ecs.scheduledtask.v0</c>); the deploy tool turns it into a task definition and an EventBridge rule. It exists
/// only in the manifest.
/// </summary>
public sealed class EcsScheduledTaskResource(string name, IResource project, IReadOnlyList<string> command, string schedule) : Resource(name)
{
    public IResource Project { get; } = project;

    public IReadOnlyList<string> Command { get; } = command;

    /// <summary>An EventBridge schedule expression.</summary>
    public string Schedule { get; } = schedule;

    public void WriteToManifest(ManifestPublishingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var writer = context.Writer;
        writer.WriteString("type", Schema.Type);
        writer.WriteString(Schema.Project, Project.Name);
        writer.WriteStartArray(Schema.Command);
        foreach (var argument in Command)
        {
            writer.WriteStringValue(argument);
        }

        writer.WriteEndArray();
        writer.WriteString(Schema.Schedule, Schedule);
    }
}

public static class EcsScheduledTaskResourceExtensions
{
    /// <summary>
    /// In publish mode, adds <paramref name="name"/>: <paramref name="command"/> of the project's image run on
    /// <paramref name="schedule"/>; in run mode nothing changes.
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishAsScheduledTask(
        this IResourceBuilder<ProjectResource> project, string name, string schedule, params string[] command)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(schedule);
        if (!project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return project;
        }

        var task = new EcsScheduledTaskResource(name, project.Resource, command, schedule);
        project.ApplicationBuilder.AddResource(task).WithManifestPublishingCallback(task.WriteToManifest);
        return project;
    }
}
