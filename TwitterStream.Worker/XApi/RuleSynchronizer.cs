using TwitterStream.Worker.Configuration;

namespace TwitterStream.Worker.XApi;

/// <summary>
/// Makes the stream's rules under this worker's tag hold exactly FILTER: adds it when missing, then deletes the tag's
/// stale rules. Rules with other tags belong to other workers and are never touched.
/// </summary>
internal sealed partial class RuleSynchronizer(XApiClient client, BearerTokenSource tokens, WorkerOptions options, ILogger<RuleSynchronizer> logger)
{
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        var rules = await client.GetRulesAsync(token, cancellationToken);
        var own = rules.Where(rule => string.Equals(rule.Tag, options.RuleTag, StringComparison.Ordinal)).ToList();

        // Add before deleting so the stream never runs without this worker's rule.
        if (!own.Any(rule => string.Equals(rule.Value, options.Filter, StringComparison.Ordinal)))
        {
            await client.AddRuleAsync(token, new StreamRule(options.Filter, options.RuleTag), cancellationToken);
            LogAdded(logger, options.RuleTag, options.Filter);
        }

        var stale = own.Where(rule => !string.Equals(rule.Value, options.Filter, StringComparison.Ordinal) && rule.Id is not null)
            .Select(rule => rule.Id!)
            .ToList();
        if (stale.Count > 0)
        {
            await client.DeleteRulesAsync(token, stale, cancellationToken);
            LogDeleted(logger, stale.Count, options.RuleTag);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Added stream rule {Filter} with tag {Tag}")]
    private static partial void LogAdded(ILogger logger, string tag, string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} stale stream rules with tag {Tag}")]
    private static partial void LogDeleted(ILogger logger, int count, string tag);
}
