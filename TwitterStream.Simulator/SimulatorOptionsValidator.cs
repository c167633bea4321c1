using Microsoft.Extensions.Options;
using TwitterStream.Simulator.Faults;
using TwitterStream.Simulator.Usage;

namespace TwitterStream.Simulator;

/// <summary>One-line errors that name the setting, the bad value and the accepted range.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions o)
    {
        var errors = new List<string>();
        const string s = SimulatorOptions.SectionName;
        if (string.IsNullOrWhiteSpace(o.ConsumerKey)) errors.Add($"{s}:ConsumerKey is empty; set {s}__ConsumerKey.");
        if (string.IsNullOrWhiteSpace(o.ConsumerSecret)) errors.Add($"{s}:ConsumerSecret is empty; set {s}__ConsumerSecret.");
        if (!(o.PostsPerSecond >= 0) || double.IsInfinity(o.PostsPerSecond))
            errors.Add($"{s}:PostsPerSecond must be >= 0 (got {o.PostsPerSecond}); 0 means as fast as the client reads.");
        if (o.BurstSize < 1) errors.Add($"{s}:BurstSize must be >= 1 (got {o.BurstSize}); 1 means a steady rate.");
        if (!(o.MatchingShare is >= 0 and <= 1)) errors.Add($"{s}:MatchingShare must be between 0 and 1 (got {o.MatchingShare}).");
        if (!(o.LongPostShare is >= 0 and <= 1)) errors.Add($"{s}:LongPostShare must be between 0 and 1 (got {o.LongPostShare}).");
        if (o.TotalPosts < 0) errors.Add($"{s}:TotalPosts must be >= 0 (got {o.TotalPosts}); 0 means unlimited.");
        if (o.BackfillHistoryPosts < 0) errors.Add($"{s}:BackfillHistoryPosts must be >= 0 (got {o.BackfillHistoryPosts}); 0 keeps no posts for backfill.");
        if (o.KeepAliveSeconds < 1) errors.Add($"{s}:KeepAliveSeconds must be >= 1 (got {o.KeepAliveSeconds}).");
        if (!string.IsNullOrEmpty(o.ReplayPath) && !File.Exists(o.ReplayPath))
            errors.Add($"{s}:ReplayPath '{o.ReplayPath}' does not exist; point it at an NDJSON file of posts or leave it empty.");
        if (!string.IsNullOrEmpty(o.LedgerPath))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(o.LedgerPath));
            if (dir is not null && !Directory.Exists(dir))
                errors.Add($"{s}:LedgerPath directory '{dir}' does not exist; create it or choose another path.");
        }
        errors.AddRange(FaultOptionsValidator.Validate(o.Faults, $"{s}:Faults:"));
        errors.AddRange(UsageOptions.Validate(o.Usage, $"{s}:Usage:"));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
