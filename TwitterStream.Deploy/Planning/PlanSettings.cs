namespace TwitterStream.Deploy.Planning;

/// <summary>
/// What the plan needs besides the manifest. <see cref="AccountId"/> and <see cref="Image"/> only reach the stand-alone
/// files (the template uses pseudo parameters and the <c>ImageUri</c> parameter), so placeholders are fine for a review plan.
/// </summary>
internal sealed record PlanSettings(string StackName, string Region, string AccountId, string Image, CostOptions Cost)
{
    public const string DefaultStackName = "twitterstream";
    public const string AccountPlaceholder = "ACCOUNT_ID";

    /// <summary>
    /// Each secret parameter's full ARN (with Secrets Manager's six-character suffix) by parameter name, once deploy has
    /// looked them up; without them the stand-alone task definition carries partial ARNs and its notes say so.
    /// </summary>
    /// <summary>Where the alarms' topic sends email (<c>--alarm-email</c>); null for no subscription.</summary>
    public string? AlarmEmail { get; init; }

    public IReadOnlyDictionary<string, string> SecretArns { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
