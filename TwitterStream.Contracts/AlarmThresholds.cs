namespace TwitterStream.Contracts;

/// <summary>
/// When the deployment's CloudWatch alarms fire, as the AppHost writes them into the Fargate service's manifest entry
/// (<see cref="ManifestSchema.FargateService.Alarms"/>) and the deploy tool turns them into alarms. The defaults are
/// the values a manifest without them gets.
/// </summary>
public sealed record AlarmThresholds
{
    /// <summary>"Nothing stored": over this many minutes at least <see cref="StoredMinKeptPosts"/> posts were kept, the stream stayed connected, and none was stored.</summary>
    public int StoredMinutes { get; init; } = 10;

    public int StoredMinKeptPosts { get; init; } = 1;

    /// <summary>"Stream disconnected": not connected (and not paused on purpose) for this many consecutive minutes.</summary>
    public int DisconnectedMinutes { get; init; } = 5;

    /// <summary>"No running task": ECS reported no task's CPU for this many consecutive minutes.</summary>
    public int NoTaskMinutes { get; init; } = 5;

    /// <summary>"Write retries sustained": at least this many BatchWriteItem retries a minute for <see cref="WriteRetriesMinutes"/> minutes.</summary>
    public int WriteRetriesPerMinute { get; init; } = 10;

    public int WriteRetriesMinutes { get; init; } = 5;

    /// <summary>"X usage" and "budget": the share of X's cap, and of MONTHLY_POST_BUDGET, at which each fires.</summary>
    public int UsagePercent { get; init; } = 90;

    /// <summary>The accepted range of each setting, named as in the manifest, so the AppHost and the deploy tool refuse the same values.</summary>
    public static readonly IReadOnlyList<(string Name, int Min, int Max, Func<AlarmThresholds, int> Read)> Ranges =
    [
        // Alarm periods are whole minutes; CloudWatch evaluates at most a day of them.
        (ManifestSchema.FargateService.Alarm.StoredMinutes, 1, 1440, t => t.StoredMinutes),
        (ManifestSchema.FargateService.Alarm.StoredMinKeptPosts, 1, 1_000_000, t => t.StoredMinKeptPosts),
        (ManifestSchema.FargateService.Alarm.DisconnectedMinutes, 1, 1440, t => t.DisconnectedMinutes),
        (ManifestSchema.FargateService.Alarm.NoTaskMinutes, 1, 1440, t => t.NoTaskMinutes),
        (ManifestSchema.FargateService.Alarm.WriteRetriesPerMinute, 1, 1_000_000, t => t.WriteRetriesPerMinute),
        (ManifestSchema.FargateService.Alarm.WriteRetriesMinutes, 1, 1440, t => t.WriteRetriesMinutes),
        (ManifestSchema.FargateService.Alarm.UsagePercent, 1, 100, t => t.UsagePercent),
    ];

    /// <summary>Builds the thresholds from values by manifest name (a missing one keeps its default).</summary>
    public static AlarmThresholds From(Func<string, int?> value)
    {
        var defaults = new AlarmThresholds();
        return new AlarmThresholds
        {
            StoredMinutes = value(ManifestSchema.FargateService.Alarm.StoredMinutes) ?? defaults.StoredMinutes,
            StoredMinKeptPosts = value(ManifestSchema.FargateService.Alarm.StoredMinKeptPosts) ?? defaults.StoredMinKeptPosts,
            DisconnectedMinutes = value(ManifestSchema.FargateService.Alarm.DisconnectedMinutes) ?? defaults.DisconnectedMinutes,
            NoTaskMinutes = value(ManifestSchema.FargateService.Alarm.NoTaskMinutes) ?? defaults.NoTaskMinutes,
            WriteRetriesPerMinute = value(ManifestSchema.FargateService.Alarm.WriteRetriesPerMinute) ?? defaults.WriteRetriesPerMinute,
            WriteRetriesMinutes = value(ManifestSchema.FargateService.Alarm.WriteRetriesMinutes) ?? defaults.WriteRetriesMinutes,
            UsagePercent = value(ManifestSchema.FargateService.Alarm.UsagePercent) ?? defaults.UsagePercent,
        };
    }

    /// <summary>The first setting outside its range as one line, or null.</summary>
    public string? Problem() => Ranges
        .Where(r => r.Read(this) < r.Min || r.Read(this) > r.Max)
        .Select(r => $"alarm setting {r.Name} is {r.Read(this)}; it must be a whole number from {r.Min} to {r.Max}.")
        .FirstOrDefault();
}
