using System.Text.Json.Nodes;
using TwitterStream.Contracts;
using TwitterStream.Deploy.Manifest;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The two task roles' policies, least privilege: the execution role pulls from our repository, writes to our log
/// group and reads exactly our secrets; the task role may call exactly what the worker calls (BatchWriteItem, and
/// GetItem/UpdateItem on the reserved partition only, for the recovery checkpoint and the post budget) on exactly the
/// worker's tables. The only <c>*</c> resource is <c>ecr:GetAuthorizationToken</c>, which IAM accepts on nothing else.
/// </summary>
internal sealed class IamPolicyBuilder(DeploymentNames names, ContainerEnvironment environment)
{
    /// <summary>The DynamoDB actions the worker always calls: its PostWriter sends BatchWriteItem.</summary>
    public static readonly string[] WorkerTableActions = ["dynamodb:BatchWriteItem"];

    /// <summary>
    /// What the worker calls on its own bookkeeping items (the recovery checkpoint, always; the post budget's count per
    /// billing cycle when MONTHLY_POST_BUDGET is set): read at start, written every few seconds, allowed only on the
    /// reserved partition key, which no post can have.
    /// </summary>
    public static readonly string[] ReservedItemActions = ["dynamodb:GetItem", "dynamodb:UpdateItem"];

    public JsonObject ExecutionRolePolicy(RenderTarget target)
    {
        var statements = new JsonArray
        {
            Statement("EcrAuthorization", ["ecr:GetAuthorizationToken"], new JsonArray("*")),
            Statement(
                "PullWorkerImage",
                ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                new JsonArray(target.GetAtt(DeploymentNames.RepositoryLogicalId, "Arn", $"arn:${{AWS::Partition}}:ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{names.Repository}"))),
            Statement(
                "WriteWorkerLogs",
                ["logs:CreateLogStream", "logs:PutLogEvents"],
                new JsonArray(target.Sub($"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{names.LogGroup}:*"))),
        };
        if (environment.Secrets.Count > 0)
        {
            var secrets = new JsonArray();
            foreach (var parameter in environment.Secrets.Select(s => s.Value).Distinct())
            {
                // Secrets Manager appends six random characters to a secret's ARN; outside CloudFormation "-??????" matches exactly them.
                secrets.Add(target.Ref(DeploymentNames.SecretLogicalId(parameter), SecretArnPattern(parameter) + "-??????"));
            }

            statements.Add(Statement("ReadWorkerSecrets", ["secretsmanager:GetSecretValue"], secrets));
        }

        return Document(statements);
    }

    public JsonObject TaskRolePolicy(RenderTarget target)
    {
        var tables = new JsonArray();
        foreach (var table in environment.Tables)
        {
            // GetAtt, not a name: CloudFormation then creates the table before the role (and the service that uses it)
            // and deletes it after them.
            tables.Add(target.GetAtt(
                DeploymentNames.TableLogicalId(table), "Arn", $"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{table.TableName}"));
        }

        var statements = new JsonArray();
        if (tables.Count > 0)
        {
            statements.Add(Statement("WritePosts", WorkerTableActions, tables));
            var reserved = Statement("KeepReservedItems", ReservedItemActions, (JsonArray)tables.DeepClone());
            reserved["Condition"] = new JsonObject
            {
                ["ForAllValues:StringEquals"] = new JsonObject
                {
                    ["dynamodb:LeadingKeys"] = new JsonArray(PostsTableSchema.ReservedPartitionKey),
                },
            };
            statements.Add(reserved);
        }
        else
        {
            // IAM rejects an empty policy; a worker without tables gets a statement that grants nothing usable.
            statements.Add(Statement("NoTables", WorkerTableActions, new JsonArray(target.Sub("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/none"))));
        }

        return Document(statements);
    }

    /// <summary>What the compliance sweep reads: the id index, scanned whole and queried by post id.</summary>
    public static readonly string[] SweepIndexActions = ["dynamodb:Scan", "dynamodb:Query"];

    /// <summary>What the compliance sweep does to the items X names: delete them, or remove the stored line.</summary>
    public static readonly string[] SweepItemActions = ["dynamodb:DeleteItem", "dynamodb:UpdateItem"];

    /// <summary>The sweep's durable state, one item of the reserved partition.</summary>
    public static readonly string[] SweepStateActions = ["dynamodb:GetItem", "dynamodb:PutItem"];

    /// <summary>
    /// The scheduled compliance sweep's task role, and only it, may delete: Scan/Query on the tables' indexes,
    /// DeleteItem/UpdateItem on the tables, GetItem/PutItem on the reserved partition (its state). The stream's task
    /// role keeps no delete right.
    /// </summary>
    public JsonObject ComplianceTaskRolePolicy(RenderTarget target)
    {
        var tables = new JsonArray();
        var indexes = new JsonArray();
        foreach (var table in environment.Tables)
        {
            tables.Add(target.GetAtt(
                DeploymentNames.TableLogicalId(table), "Arn", $"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{table.TableName}"));
            foreach (var index in table.GlobalSecondaryIndexes)
            {
                indexes.Add(target.Sub($"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{table.TableName}/index/{index.IndexName}"));
            }
        }

        if (tables.Count == 0 || indexes.Count == 0)
        {
            throw new DeployError("the manifest schedules a compliance sweep but the worker's table has no id index: regenerate the manifest with the current AppHost.");
        }

        var state = Statement("KeepSweepState", SweepStateActions, (JsonArray)tables.DeepClone());
        state["Condition"] = new JsonObject
        {
            ["ForAllValues:StringEquals"] = new JsonObject { ["dynamodb:LeadingKeys"] = new JsonArray(PostsTableSchema.ReservedPartitionKey) },
        };
        return Document(new JsonArray
        {
            Statement("ReadPostIds", SweepIndexActions, indexes),
            Statement("RemoveNonCompliantPosts", SweepItemActions, tables),
            state,
        });
    }

    /// <summary>EventBridge may start exactly the sweep's task definition, on exactly our cluster, passing exactly its two roles.</summary>
    public JsonObject ScheduleRolePolicy(RenderTarget target, ManifestScheduledTask task)
    {
        var run = Statement("RunScheduledTask", ["ecs:RunTask"], new JsonArray(
            target.Sub($"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{names.ScheduledTaskFamily(task)}:*")));
        run["Condition"] = new JsonObject
        {
            ["ArnEquals"] = new JsonObject
            {
                ["ecs:cluster"] = target.GetAtt(DeploymentNames.ClusterLogicalId, "Arn", $"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:cluster/{names.Cluster}"),
            },
        };
        return Document(new JsonArray
        {
            run,
            Statement("PassTaskRoles", ["iam:PassRole"], new JsonArray(
                target.GetAtt(DeploymentNames.ExecutionRoleLogicalId, "Arn", $"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{names.ExecutionRoleNamePattern}"),
                target.GetAtt(DeploymentNames.ScheduledTaskRoleLogicalId(task), "Arn", $"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{names.ScheduledTaskRoleNamePattern(task)}"))),
        });
    }

    public static JsonObject AssumeRolePolicy(string service = "ecs-tasks.amazonaws.com") => Document(new JsonArray
    {
        new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = service },
            ["Action"] = "sts:AssumeRole",
        },
    });

    public string SecretArnPattern(ManifestParameter parameter) =>
        $"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{names.SecretName(parameter)}";

    private static JsonObject Document(JsonArray statements) => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = statements,
    };

    private static JsonObject Statement(string sid, string[] actions, JsonArray resources) => new()
    {
        ["Sid"] = sid,
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray(actions.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
        ["Resource"] = resources,
    };
}
