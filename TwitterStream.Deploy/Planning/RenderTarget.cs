using System.Text.Json.Nodes;

namespace TwitterStream.Deploy.Planning;

/// <summary>
/// The task definition and the IAM policies are written twice: inside the CloudFormation template, where ARNs are
/// intrinsic functions, and as stand-alone files for review and for <c>aws ecs register-task-definition</c>, where
/// they are concrete strings. The builders describe each value once and a target renders it.
/// </summary>
internal abstract class RenderTarget
{
    /// <summary>A string with <c>${AWS::Region}</c>, <c>${AWS::AccountId}</c>, <c>${AWS::Partition}</c> in it.</summary>
    public abstract JsonNode Sub(string pattern);

    /// <summary>A resource's <c>Ref</c>; <paramref name="concretePattern"/> is what it stands for outside CloudFormation.</summary>
    public abstract JsonNode Ref(string logicalId, string concretePattern);

    /// <summary>A resource attribute; <paramref name="concretePattern"/> is what it stands for outside CloudFormation.</summary>
    public abstract JsonNode GetAtt(string logicalId, string attribute, string concretePattern);

    /// <summary>A template parameter, with its value outside CloudFormation.</summary>
    public abstract JsonNode Parameter(string name, string concrete);

    public abstract JsonNode Region();
}

internal sealed class TemplateTarget : RenderTarget
{
    public override JsonNode Sub(string pattern) =>
        pattern.Contains("${", StringComparison.Ordinal) ? new JsonObject { ["Fn::Sub"] = pattern } : JsonValue.Create(pattern);

    public override JsonNode Ref(string logicalId, string concretePattern) => new JsonObject { ["Ref"] = logicalId };

    public override JsonNode GetAtt(string logicalId, string attribute, string concretePattern) =>
        new JsonObject { ["Fn::GetAtt"] = new JsonArray(logicalId, attribute) };

    public override JsonNode Parameter(string name, string concrete) => new JsonObject { ["Ref"] = name };

    public override JsonNode Region() => new JsonObject { ["Ref"] = "AWS::Region" };
}

internal sealed class ConcreteTarget(string region, string accountId) : RenderTarget
{
    public override JsonNode Sub(string pattern) => JsonValue.Create(pattern
        .Replace("${AWS::Region}", region, StringComparison.Ordinal)
        .Replace("${AWS::AccountId}", accountId, StringComparison.Ordinal)
        .Replace("${AWS::Partition}", "aws", StringComparison.Ordinal));

    public override JsonNode Ref(string logicalId, string concretePattern) => Sub(concretePattern);

    public override JsonNode GetAtt(string logicalId, string attribute, string concretePattern) => Sub(concretePattern);

    public override JsonNode Parameter(string name, string concrete) => JsonValue.Create(concrete);

    public override JsonNode Region() => JsonValue.Create(region);
}
