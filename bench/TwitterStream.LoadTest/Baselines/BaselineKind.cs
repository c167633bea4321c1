namespace TwitterStream.Bench.LoadTest.Baselines;

public enum BaselineKind
{
    /// <summary>The walkthrough's way: for each post a new DynamoDB client and one awaited PutItem.</summary>
    Walkthrough,

    /// <summary>A plain loop: one client, one awaited PutItem per post.</summary>
    PlainLoop,
}
