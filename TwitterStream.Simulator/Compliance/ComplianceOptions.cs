namespace TwitterStream.Simulator.Compliance;

/// <summary>The <c>Simulator:Compliance</c> section: which posts the simulator treats as gone, and how fast jobs run.</summary>
public sealed class ComplianceOptions
{
    /// <summary>
    /// Share (0..1) of post ids the simulator reports as needing action (deleted, protected or suspended), chosen by
    /// a hash of the seed and the id: the same ids for the same seed, whoever asks and however often.
    /// </summary>
    public double Share { get; set; }

    /// <summary>How long an uploaded job stays <c>in_progress</c> before it is <c>complete</c>.</summary>
    public double ProcessingSeconds { get; set; } = 2;

    /// <summary>How long the upload and download URLs stay valid (X: about 15 minutes and 7 days).</summary>
    public double UploadMinutes { get; set; } = 15;

    public static IEnumerable<string> Validate(ComplianceOptions options, string prefix)
    {
        if (!(options.Share is >= 0 and <= 1))
            yield return $"{prefix}Share must be between 0 and 1 (got {options.Share}).";
        if (!(options.ProcessingSeconds >= 0) || double.IsInfinity(options.ProcessingSeconds))
            yield return $"{prefix}ProcessingSeconds must be >= 0 (got {options.ProcessingSeconds}).";
        if (!(options.UploadMinutes > 0) || double.IsInfinity(options.UploadMinutes))
            yield return $"{prefix}UploadMinutes must be > 0 (got {options.UploadMinutes}).";
    }
}
