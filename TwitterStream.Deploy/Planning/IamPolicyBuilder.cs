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

    public static JsonObject AssumeRolePolicy() => Document(new JsonArray
    {
        new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "ecs-tasks.amazonaws.com" },
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
