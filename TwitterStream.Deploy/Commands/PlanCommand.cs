using TwitterStream.Deploy.Planning;

namespace TwitterStream.Deploy.Commands;

/// <summary><c>plan</c>: writes the template, task definition and policies for review; touches no AWS account.</summary>
internal sealed class PlanCommand(ToolContext context)
{
    public async Task RunAsync(CommandLine commandLine, CancellationToken cancellationToken)
    {
        var options = CommonOptions.Read(commandLine, context);
        var output = context.ResolvePath(commandLine.Value("out", CommonOptions.DefaultOut));
        var accountId = commandLine.Value("account-id", PlanSettings.AccountPlaceholder);
        var image = commandLine.Value("image");
        var costOverrides = CostOverrides.Read(commandLine);
        var alarmEmail = CommonOptions.AlarmEmail(commandLine);
        commandLine.RejectUnknown();

        var manifest = options.ReadManifest();
        var cost = costOverrides.Apply(manifest.Service);
        var names = new DeploymentNames(options.StackName, manifest);
        image ??= $"{accountId}.dkr.ecr.{options.Region}.amazonaws.com/{names.Repository}:latest";
        var plan = options.Plan(manifest, new Parameters.ParameterValues(context), accountId, image, cost, alarmEmail);
        await plan.WriteAsync(output, cancellationToken);
        await context.Out.WriteLineAsync($"plan for stack {options.StackName} written to {output}:");
        foreach (var (name, _) in plan.Files())
        {
            await context.Out.WriteLineAsync($"  {name}");
        }
    }
}
