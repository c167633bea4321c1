namespace TwitterStream.Deploy.Planning;

/// <summary>
/// What the plan needs besides the manifest. <see cref="AccountId"/> and <see cref="Image"/> only reach the stand-alone
/// files (the template uses pseudo parameters and the <c>ImageUri</c> parameter), so placeholders are fine for a review plan.
/// </summary>
internal sealed record PlanSettings(string StackName, string Region, string AccountId, string Image)
{
    public const string DefaultStackName = "twitterstream";
    public const string AccountPlaceholder = "ACCOUNT_ID";
}
