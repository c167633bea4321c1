namespace TwitterStream.Contracts;

/// <summary>
/// The tag the worker gives its X stream rule; it syncs only rules under its own tag, so other consumers' rules on the
/// same app are left alone.
/// </summary>
public static class StreamRuleTag
{
    public const string Default = "twitterstream";
}
