using System.Text.Json.Nodes;
using TwitterStream.Deploy.Manifest;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The one CloudFormation stack. Its <c>Stage</c> parameter solves deploy's chicken-and-egg: <c>bootstrap</c> creates
/// only the repository and the (empty) secrets, so the image can be pushed and the secret values set before
/// <c>full</c> adds the table, roles, log group, cluster, task definition and service that need them.
/// The repository and secrets are retained on stack deletion because <c>destroy</c> removes them itself: images
/// with the repository, secrets with a recovery window unless <c>--force</c>.
/// </summary>
internal sealed class TemplateBuilder(
    AspireManifest manifest,
    DeploymentNames names,
    IamPolicyBuilder policies,
    TaskDefinitionBuilder taskDefinition,
    CostOptions cost,
    string? alarmEmail)
{
    public const string StageParameter = "Stage";
    public const string BootstrapStage = "bootstrap";
    public const string FullStage = "full";
    public const string ImageUriParameter = "ImageUri";
    public const string SubnetsParameter = "Subnets";
    public const string SecurityGroupsParameter = "SecurityGroups";
    public const string AssignPublicIpParameter = "AssignPublicIp";
    private const string IsFull = "IsFull";

    public JsonObject Build()
    {
        var target = new TemplateTarget();
        var resources = new JsonObject
        {
            [DeploymentNames.RepositoryLogicalId] = Retained(Resource("AWS::ECR::Repository", new JsonObject
            {
                ["RepositoryName"] = names.Repository,
                // Tags are commit hashes of clean trees: immutable tags make "this tag exists" mean "this commit is pushed".
                ["ImageTagMutability"] = "IMMUTABLE",
                ["ImageScanningConfiguration"] = new JsonObject { ["ScanOnPush"] = true },
                ["LifecyclePolicy"] = new JsonObject { ["LifecyclePolicyText"] = LifecyclePolicyText(cost.KeptImages) },
            })),
        };

        foreach (var parameter in manifest.Parameters.Where(p => p.Secret).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            // No SecretString and no GenerateSecretString: the secret is created empty and deploy puts the value.
            resources[DeploymentNames.SecretLogicalId(parameter)] = Retained(Resource("AWS::SecretsManager::Secret", new JsonObject
            {
                ["Name"] = names.SecretName(parameter),
                ["Description"] = $"TwitterStream parameter '{parameter.Name}'; its value is set by twitterstream-deploy, never by this template.",
            }));
        }

        foreach (var table in manifest.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            resources[DeploymentNames.TableLogicalId(table)] = Full(Resource("AWS::DynamoDB::Table", Table(table)));
        }

        resources[DeploymentNames.LogGroupLogicalId] = Full(Resource("AWS::Logs::LogGroup", new JsonObject
        {
            ["LogGroupName"] = names.LogGroup,
            ["RetentionInDays"] = manifest.Service.LogRetentionInDays,
        }));
        resources[DeploymentNames.ExecutionRoleLogicalId] = Full(Resource("AWS::IAM::Role", Role(
            names.ExecutionRoleNamePattern, "Lets ECS pull the worker image, write its logs and read its secrets.", "execution", policies.ExecutionRolePolicy(target))));
        resources[DeploymentNames.TaskRoleLogicalId] = Full(Resource("AWS::IAM::Role", Role(
            names.TaskRoleNamePattern, "Lets the worker write posts to its DynamoDB table.", "dynamodb-write", policies.TaskRolePolicy(target))));
        resources[DeploymentNames.ClusterLogicalId] = Full(Resource("AWS::ECS::Cluster", new JsonObject
        {
            ["ClusterName"] = names.Cluster,
            // Both, so that switching --spot on or off is an update of the service's strategy, not a new cluster.
            ["CapacityProviders"] = new JsonArray("FARGATE", "FARGATE_SPOT"),
        }));
        resources[DeploymentNames.TaskDefinitionLogicalId] = Full(Resource("AWS::ECS::TaskDefinition", taskDefinition.Build(target, "")));
        resources[DeploymentNames.ServiceLogicalId] = Full(Resource("AWS::ECS::Service", Service()));
        foreach (var task in manifest.ScheduledTasks)
        {
            AddScheduledTask(resources, target, task);
        }

        // Monitoring comes with the service: the alarms name its cluster and service, and nothing runs to watch before.
        var alarms = new AlarmsBuilder(manifest, names, alarmEmail);
        foreach (var (logicalId, resource) in alarms.Resources())
        {
            resources[logicalId] = Full(resource);
        }

        resources[DeploymentNames.DashboardLogicalId] = Full(new DashboardBuilder(names, alarms).Resource());

        return new JsonObject
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = $"TwitterStream worker on AWS Fargate (stack {names.Stack}), generated from the Aspire manifest by twitterstream-deploy.",
            ["Parameters"] = Parameters(),
            ["Conditions"] = new JsonObject
            {
                [IsFull] = new JsonObject { ["Fn::Equals"] = new JsonArray(new JsonObject { ["Ref"] = StageParameter }, FullStage) },
            },
            ["Resources"] = resources,
            ["Outputs"] = new JsonObject
            {
                ["RepositoryUri"] = new JsonObject { ["Value"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(DeploymentNames.RepositoryLogicalId, "RepositoryUri") } },
                ["ClusterName"] = new JsonObject { ["Condition"] = IsFull, ["Value"] = new JsonObject { ["Ref"] = DeploymentNames.ClusterLogicalId } },
                ["ServiceName"] = new JsonObject { ["Condition"] = IsFull, ["Value"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(DeploymentNames.ServiceLogicalId, "Name") } },
                ["AlarmTopicArn"] = new JsonObject { ["Condition"] = IsFull, ["Value"] = new JsonObject { ["Ref"] = DeploymentNames.AlarmTopicLogicalId } },
                ["DashboardUrl"] = new JsonObject
                {
                    ["Condition"] = IsFull,
                    ["Value"] = new JsonObject { ["Fn::Sub"] = $"https://${{AWS::Region}}.console.aws.amazon.com/cloudwatch/home?region=${{AWS::Region}}#dashboards:name={names.Dashboard}" },
                },
            },
        };
    }

    private static JsonObject Parameters() => new()
    {
        [StageParameter] = new JsonObject
        {
            ["Type"] = "String",
            ["AllowedValues"] = new JsonArray(BootstrapStage, FullStage),
            ["Default"] = FullStage,
            ["Description"] = "bootstrap: repository and secrets only (first deploy, before the image and secret values exist); full: everything.",
        },
        [ImageUriParameter] = new JsonObject { ["Type"] = "String", ["Default"] = "", ["Description"] = "The worker image by digest (repository@sha256:...)." },
        // No default: CloudFormation refuses a deploy without them (and checks they exist) instead of failing late on
        // the service. Deploy passes them in both stages.
        [SubnetsParameter] = new JsonObject { ["Type"] = "List<AWS::EC2::Subnet::Id>", ["Description"] = "Subnets for the worker task (required)." },
        [SecurityGroupsParameter] = new JsonObject { ["Type"] = "List<AWS::EC2::SecurityGroup::Id>", ["Description"] = "Security groups for the worker task (required)." },
        [AssignPublicIpParameter] = new JsonObject
        {
            ["Type"] = "String",
            ["AllowedValues"] = new JsonArray("ENABLED", "DISABLED"),
            ["Default"] = "ENABLED",
            ["Description"] = "ENABLED for public subnets (such as the default VPC's); DISABLED needs a NAT gateway or VPC endpoints.",
        },
    };

    private static JsonObject Table(ManifestTable table)
    {
        var attributes = new JsonArray();
        foreach (var (name, type) in table.AttributeDefinitions)
        {
            attributes.Add(new JsonObject { ["AttributeName"] = name, ["AttributeType"] = type });
        }

        var keys = new JsonArray();
        foreach (var (name, keyType) in table.KeySchema)
        {
            keys.Add(new JsonObject { ["AttributeName"] = name, ["KeyType"] = keyType });
        }

        var properties = new JsonObject
        {
            ["TableName"] = table.TableName,
            ["BillingMode"] = table.BillingMode,
            ["AttributeDefinitions"] = attributes,
            ["KeySchema"] = keys,
            ["PointInTimeRecoverySpecification"] = new JsonObject { ["PointInTimeRecoveryEnabled"] = table.PointInTimeRecovery },
        };
        if (table.GlobalSecondaryIndexes.Count > 0)
        {
            var indexes = new JsonArray();
            foreach (var index in table.GlobalSecondaryIndexes)
            {
                var indexKeys = new JsonArray();
                foreach (var (name, keyType) in index.KeySchema)
                {
                    indexKeys.Add(new JsonObject { ["AttributeName"] = name, ["KeyType"] = keyType });
                }

                indexes.Add(new JsonObject
                {
                    ["IndexName"] = index.IndexName,
                    ["KeySchema"] = indexKeys,
                    ["Projection"] = new JsonObject { ["ProjectionType"] = index.ProjectionType },
                });
            }

            properties["GlobalSecondaryIndexes"] = indexes;
        }

        if (table.TimeToLiveAttribute is { } ttl)
        {
            properties["TimeToLiveSpecification"] = new JsonObject { ["AttributeName"] = ttl, ["Enabled"] = true };
        }

        return properties;
    }

    private static JsonObject Role(string namePattern, string description, string policyName, JsonObject policy, string service = "ecs-tasks.amazonaws.com") => new()
    {
        ["RoleName"] = new JsonObject { ["Fn::Sub"] = namePattern },
        ["Description"] = description,
        ["AssumeRolePolicyDocument"] = IamPolicyBuilder.AssumeRolePolicy(service),
        ["Policies"] = new JsonArray(new JsonObject { ["PolicyName"] = policyName, ["PolicyDocument"] = policy }),
    };

    /// <summary>
    /// A command of the worker's image on a schedule (the compliance sweep): its own task definition and task role, and
    /// an EventBridge rule that starts it on the cluster in the service's subnets, with a role allowed to do only that.
    /// A task of its own, so a sweep never takes CPU, memory or network from the stream.
    /// </summary>
    private void AddScheduledTask(JsonObject resources, RenderTarget target, ManifestScheduledTask task)
    {
        resources[DeploymentNames.ScheduledTaskRoleLogicalId(task)] = Full(Resource("AWS::IAM::Role", Role(
            names.ScheduledTaskRoleNamePattern(task), $"Lets the scheduled {task.Name} read the post id index and delete or change the posts X names.",
            "dynamodb-compliance", policies.ComplianceTaskRolePolicy(target))));
        resources[DeploymentNames.ScheduledTaskDefinitionLogicalId(task)] = Full(Resource("AWS::ECS::TaskDefinition", taskDefinition.BuildScheduled(target, "", task)));
        resources[DeploymentNames.ScheduleRoleLogicalId(task)] = Full(Resource("AWS::IAM::Role", Role(
            names.ScheduleRoleNamePattern(task), $"Lets EventBridge start the scheduled {task.Name} task.", "run-task",
            policies.ScheduleRolePolicy(target, task), "events.amazonaws.com")));
        resources[DeploymentNames.ScheduleLogicalId(task)] = Full(Resource("AWS::Events::Rule", new JsonObject
        {
            ["Description"] = $"Runs '{string.Join(' ', task.Command)}' of the {names.Project} image on {task.Schedule}.",
            ["ScheduleExpression"] = task.Schedule,
            ["State"] = "ENABLED",
            ["Targets"] = new JsonArray(new JsonObject
            {
                ["Id"] = task.Name.ToLowerInvariant(),
                ["Arn"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(DeploymentNames.ClusterLogicalId, "Arn") },
                ["RoleArn"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(DeploymentNames.ScheduleRoleLogicalId(task), "Arn") },
                ["EcsParameters"] = new JsonObject
                {
                    ["TaskDefinitionArn"] = new JsonObject { ["Ref"] = DeploymentNames.ScheduledTaskDefinitionLogicalId(task) },
                    ["TaskCount"] = 1,
                    ["CapacityProviderStrategy"] = new JsonArray(new JsonObject { ["CapacityProvider"] = cost.CapacityProvider, ["Weight"] = 1 }),
                    ["PlatformVersion"] = "LATEST",
                    // EventBridge spells it AwsVpcConfiguration, ECS's service AwsvpcConfiguration.
                    ["NetworkConfiguration"] = TaskNetwork("AwsVpcConfiguration"),
                },
            }),
        }));
    }

    /// <summary>The stack's subnets, security groups and public-IP choice, under <paramref name="awsvpcName"/>.</summary>
    private static JsonObject TaskNetwork(string awsvpcName) => new()
    {
        [awsvpcName] = new JsonObject
        {
            ["Subnets"] = new JsonObject { ["Ref"] = SubnetsParameter },
            ["SecurityGroups"] = new JsonObject { ["Ref"] = SecurityGroupsParameter },
            ["AssignPublicIp"] = new JsonObject { ["Ref"] = AssignPublicIpParameter },
        },
    };

    private JsonObject Service() => new()
    {
        ["Cluster"] = new JsonObject { ["Ref"] = DeploymentNames.ClusterLogicalId },
        ["ServiceName"] = names.Service,
        ["TaskDefinition"] = new JsonObject { ["Ref"] = DeploymentNames.TaskDefinitionLogicalId },
        ["DesiredCount"] = manifest.Service.DesiredCount,
        // A strategy rather than LaunchType, so on-demand and Spot are one property apart and switching is an update.
        ["CapacityProviderStrategy"] = new JsonArray(new JsonObject { ["CapacityProvider"] = cost.CapacityProvider, ["Weight"] = 1 }),
        ["PlatformVersion"] = "LATEST",
        ["NetworkConfiguration"] = TaskNetwork("AwsvpcConfiguration"),
        // X allows one stream connection per app: stop the old task before starting the new one, never two at once.
        ["DeploymentConfiguration"] = new JsonObject
        {
            ["MaximumPercent"] = 100,
            ["MinimumHealthyPercent"] = 0,
            ["DeploymentCircuitBreaker"] = new JsonObject { ["Enable"] = true, ["Rollback"] = true },
        },
    };

    /// <summary>One rule: expire images beyond the newest <paramref name="kept"/>, tagged or not.</summary>
    public static string LifecyclePolicyText(int kept) => new JsonObject
    {
        ["rules"] = new JsonArray(new JsonObject
        {
            ["rulePriority"] = 1,
            ["description"] = $"Keep the last {kept} images",
            ["selection"] = new JsonObject { ["tagStatus"] = "any", ["countType"] = "imageCountMoreThan", ["countNumber"] = kept },
            ["action"] = new JsonObject { ["type"] = "expire" },
        }),
    }.ToJsonString();

    private static JsonObject Resource(string type, JsonObject properties) => new()
    {
        ["Type"] = type,
        ["Properties"] = properties,
    };

    private static JsonObject Full(JsonObject resource)
    {
        var withCondition = new JsonObject { ["Type"] = resource["Type"]!.DeepClone(), ["Condition"] = IsFull };
        withCondition["Properties"] = resource["Properties"]!.DeepClone();
        return withCondition;
    }

    private static JsonObject Retained(JsonObject resource)
    {
        resource["DeletionPolicy"] = "Retain";
        resource["UpdateReplacePolicy"] = "Retain";
        return resource;
    }
}
