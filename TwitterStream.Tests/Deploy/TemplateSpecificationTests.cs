using System.Text.Json.Nodes;

namespace TwitterStream.Tests.Deploy;

/// <summary><c>template.json</c> checked against AWS's CloudFormation resource specification, not only our expectations.</summary>
public sealed class TemplateSpecificationTests : IDisposable
{
    private readonly DeployTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<JsonObject> PlanTemplateAsync()
    {
        var run = await _bed.RunAsync("plan", "--manifest", DeployManifests.CommittedPath, "--out", _bed.Out, "--region", "us-east-1", "--alarm-email", "ops@example.com");
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(_bed.Out, "template.json")))!.AsObject();
    }

    [Fact]
    public async Task The_specification_is_version_117()
    {
        var spec = await CloudFormationSpecification.LoadAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("117.", spec.Version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_template_matches_the_CloudFormation_resource_specification()
    {
        var spec = await CloudFormationSpecification.LoadAsync(TestContext.Current.CancellationToken);
        var template = await PlanTemplateAsync();

        Assert.Empty(spec.Check(template));
        var types = template["Resources"]!.AsObject().Select(r => r.Value!["Type"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(
            new HashSet<string>
            {
                "AWS::ECR::Repository", "AWS::SecretsManager::Secret", "AWS::DynamoDB::Table", "AWS::Logs::LogGroup",
                "AWS::IAM::Role", "AWS::ECS::Cluster", "AWS::ECS::TaskDefinition", "AWS::ECS::Service",
                "AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard",
                "AWS::Events::Rule",
            },
            types);
    }

    [Fact]
    public async Task The_checker_finds_unknown_types_and_properties_missing_requirements_and_wrong_types()
    {
        var spec = await CloudFormationSpecification.LoadAsync(TestContext.Current.CancellationToken);
        var template = await PlanTemplateAsync();
        var resources = template["Resources"]!.AsObject();
        resources["Bogus"] = new JsonObject { ["Type"] = "AWS::ECS::Spaceship", ["Properties"] = new JsonObject() };
        resources["LogGroup"]!["Properties"]!["RetentionInDays"] = "thirty";
        resources["Cluster"]!["Properties"]!["ClusterNmae"] = "x";
        resources["TaskDefinition"]!["Properties"]!["ContainerDefinitions"]![0]!.AsObject().Remove("Image");
        resources["TaskDefinition"]!["Properties"]!["ContainerDefinitions"]![0]!["HealthCheck"]!["Command"] = "CMD /bin/true";
        resources["Service"]!["Properties"]!["Cluster"] = new JsonObject { ["Ref"] = "NoSuchCluster" };
        resources["Service"]!["Properties"]!["ServiceName"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray("Cluster", "Colour") };

        var errors = spec.Check(template);

        Assert.Equal(
            [
                "LogGroup.Properties.RetentionInDays: expected Integer, found String",
                "Cluster.Properties.ClusterNmae: no such property",
                "TaskDefinition.Properties.ContainerDefinitions[0].HealthCheck.Command: expected a list",
                "TaskDefinition.Properties.ContainerDefinitions[0].Image: required property missing",
                "Service.Properties.Cluster: Ref to unknown 'NoSuchCluster'",
                "Service.Properties.ServiceName: GetAtt Cluster.Colour does not exist",
                "Bogus: unknown resource type 'AWS::ECS::Spaceship'",
            ],
            errors);
    }
}
