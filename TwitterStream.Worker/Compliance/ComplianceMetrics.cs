using System.Diagnostics.Metrics;
using TwitterStream.Contracts;
using TwitterStream.Worker.Configuration;
using TwitterStream.Worker.Telemetry;

namespace TwitterStream.Worker.Compliance;

/// <summary>
/// A sweep's figures: OpenTelemetry counters (the Aspire dashboard locally) as it goes, and on ECS one CloudWatch EMF
/// document when it ends (a sweep is a short task: one document says all, and alarms can watch ComplianceSweepFailed).
/// </summary>
internal sealed class ComplianceMetrics
{
    private readonly Counter<long> _checked;
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _modified;
    private readonly Counter<long> _sweeps;
    private readonly WorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly EmfOutput? _emf;

    public ComplianceMetrics(IMeterFactory meterFactory, WorkerOptions options, TimeProvider time, EmfOutput? emf = null)
    {
        var meter = meterFactory.Create(WorkerTelemetry.Name);
        _checked = meter.CreateCounter<long>("twitterstream.compliance.checked", "{post}", "Post ids checked with X's batch compliance.");
        _deleted = meter.CreateCounter<long>("twitterstream.compliance.deleted", "{item}", "Items deleted because X said so, by reason.");
        _modified = meter.CreateCounter<long>("twitterstream.compliance.modified", "{item}", "Items changed because X said so, by reason.");
        _sweeps = meter.CreateCounter<long>("twitterstream.compliance.sweeps", "{sweep}", "Compliance sweeps ended, by outcome.");
        _options = options;
        _time = time;
        _emf = emf;
    }

    /// <summary>One job's part: the ids it checked and what acting on its results did.</summary>
    public void Job(long checkedIds, ComplianceOutcome outcome)
    {
        _checked.Add(checkedIds);
        foreach (var (reason, count) in outcome.DeletedByReason)
        {
            _deleted.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var (reason, count) in outcome.ModifiedByReason)
        {
            _modified.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>The sweep ended; on ECS its totals go to CloudWatch as one document.</summary>
    public void Ended(SweepState state, bool failed)
    {
        _sweeps.Add(1, new KeyValuePair<string, object?>("outcome", failed ? "failed" : "finished"));
        _emf?.WriteLine(EmfDocument.Write(
        [
            new(WorkerCloudWatchMetrics.ComplianceChecked, EmfDocument.Count, state.Checked),
            new(WorkerCloudWatchMetrics.ComplianceDeleted, EmfDocument.Count, state.Deleted),
            new(WorkerCloudWatchMetrics.ComplianceModified, EmfDocument.Count, state.Modified),
            new(WorkerCloudWatchMetrics.ComplianceSweepFailed, EmfDocument.Count, failed ? 1 : 0),
        ], _time.GetUtcNow(), _options.DeploymentName));
    }
}
