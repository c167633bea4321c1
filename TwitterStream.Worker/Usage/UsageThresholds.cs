namespace TwitterStream.Worker.Usage;

/// <summary>The shares of X's cap and of the budget at which the worker warns, once each per billing cycle.</summary>
internal static class UsageThresholds
{
    public static readonly double[] WarningShares = [0.80, 0.95];

    /// <summary>How many of <see cref="WarningShares"/> <paramref name="used"/> has reached.</summary>
    public static int Reached(long used, long limit)
    {
        var reached = 0;
        while (reached < WarningShares.Length && used >= Mark(limit, reached))
        {
            reached++;
        }

        return reached;
    }

    /// <summary>The count at which warning <paramref name="index"/> is due (at least 1).</summary>
    public static long Mark(long limit, int index) => Math.Max(1, (long)Math.Ceiling(limit * WarningShares[index]));

    public static int Percent(int index) => (int)Math.Round(WarningShares[index] * 100);
}
