using TwitterStream.Contracts;

namespace TwitterStream.Simulator.Usage;

/// <summary>The project's pay-per-use figures the simulator reports and enforces (<c>Simulator__Usage__Cap=…</c>).</summary>
public sealed class UsageOptions
{
    /// <summary>Post reads per billing cycle; at the cap stream requests get X's usage-capped 429.</summary>
    public long Cap { get; set; } = XUsage.DefaultProjectCap;

    /// <summary>The day of the month the cap resets (00:00 UTC; a shorter month resets on its last day).</summary>
    public int CapResetDay { get; set; } = 1;

    /// <summary>Post reads already used in the cycle the simulator starts in.</summary>
    public long StartingUsage { get; set; }

    public static IEnumerable<string> Validate(UsageOptions usage, string prefix)
    {
        if (usage.Cap < 1) yield return $"{prefix}Cap must be >= 1 (got {usage.Cap}).";
        if (usage.CapResetDay is < 1 or > 31) yield return $"{prefix}CapResetDay must be a day of the month, 1 to 31 (got {usage.CapResetDay}).";
        if (usage.StartingUsage < 0) yield return $"{prefix}StartingUsage must be >= 0 (got {usage.StartingUsage}).";
    }
}
