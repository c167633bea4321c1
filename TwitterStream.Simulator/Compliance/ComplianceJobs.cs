using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TwitterStream.Contracts;

namespace TwitterStream.Simulator.Compliance;

/// <summary>One compliance job: its uploaded ids and how it fares, in the simulator's memory.</summary>
internal sealed class ComplianceJob(string id, string? name, DateTimeOffset createdAt, DateTimeOffset uploadExpiresAt)
{
    public string Id { get; } = id;
    public string? Name { get; } = name;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UploadExpiresAt { get; } = uploadExpiresAt;
    public DateTimeOffset? UploadedAt { get; set; }
    public string[] Ids { get; set; } = [];
    public bool Fails { get; set; }
}

/// <summary>
/// The jobs X would hold for the app: <c>created</c> until the ids are uploaded, <c>in_progress</c> for
/// <see cref="ComplianceOptions.ProcessingSeconds"/>, then <c>complete</c> (or <c>failed</c> when armed to), and
/// <c>expired</c> when nothing was uploaded in time. One job at a time: a create while one is created or in progress is refused.
/// </summary>
internal sealed class ComplianceJobs(IOptions<SimulatorOptions> options, ComplianceMarks marks, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<ComplianceJob> _jobs = [];
    private long _nextId = 1_500_000_000_000_000_000;
    private int _failNext;

    /// <summary>How many jobs have been created (for tests and the stats).</summary>
    public int Created { get { lock (_lock) return _jobs.Count; } }

    /// <summary>The next <paramref name="jobs"/> jobs created will fail once processed.</summary>
    public void FailNext(int jobs) => Interlocked.Exchange(ref _failNext, jobs);

    /// <summary>The new job, or null when another is still created or in progress.</summary>
    public ComplianceJob? TryCreate(string? name)
    {
        lock (_lock)
        {
            if (_jobs.Any(job => Status(job) is XCompliance.Created or XCompliance.InProgress))
            {
                return null;
            }

            var now = time.GetUtcNow();
            var job = new ComplianceJob(
                (_nextId++).ToString(CultureInfo.InvariantCulture), name, now, now.AddMinutes(Options.UploadMinutes))
            {
                Fails = Interlocked.Decrement(ref _failNext) >= 0,
            };
            if (!job.Fails)
            {
                Interlocked.Exchange(ref _failNext, 0);
            }

            _jobs.Add(job);
            return job;
        }
    }

    public ComplianceJob? Find(string id)
    {
        lock (_lock)
        {
            return _jobs.FirstOrDefault(job => job.Id == id);
        }
    }

    public IReadOnlyList<ComplianceJob> All()
    {
        lock (_lock)
        {
            return [.. _jobs];
        }
    }

    /// <summary>False when the job is unknown or no longer takes an upload.</summary>
    public bool Upload(string id, string body)
    {
        lock (_lock)
        {
            var job = _jobs.FirstOrDefault(j => j.Id == id);
            if (job is null || Status(job) != XCompliance.Created)
            {
                return false;
            }

            job.Ids = body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            job.UploadedAt = time.GetUtcNow();
            return true;
        }
    }

    public string Status(ComplianceJob job)
    {
        var now = time.GetUtcNow();
        if (job.UploadedAt is not { } uploadedAt)
        {
            return now >= job.UploadExpiresAt ? XCompliance.Expired : XCompliance.Created;
        }

        if (now < uploadedAt.AddSeconds(Options.ProcessingSeconds))
        {
            return XCompliance.InProgress;
        }

        return job.Fails ? XCompliance.Failed : XCompliance.Complete;
    }

    /// <summary>One JSON line per uploaded id that needs action, as X's download holds them.</summary>
    public string Results(ComplianceJob job)
    {
        var lines = new StringBuilder();
        var at = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        foreach (var id in job.Ids.Distinct(StringComparer.Ordinal))
        {
            if (marks.ReasonFor(id) is not { } reason)
            {
                continue;
            }

            lines.Append(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                [XCompliance.Id] = id,
                [XCompliance.Action] = XCompliance.DeleteAction,
                [XCompliance.CreatedAt] = at,
                [XCompliance.RedactedAt] = at,
                [XCompliance.Reason] = reason,
            })).Append('\n');
        }

        return lines.ToString();
    }

    private ComplianceOptions Options => options.Value.Compliance;
}
