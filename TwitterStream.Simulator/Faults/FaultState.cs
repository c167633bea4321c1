using Microsoft.Extensions.Options;

namespace TwitterStream.Simulator.Faults;

/// <summary>The faults in force now; starts from configuration and is replaced by <c>POST /_sim/faults</c>.</summary>
public sealed class FaultState
{
    private volatile FaultOptions _current = new();
    private int _rejectionsLeft;

    public FaultState(IOptions<SimulatorOptions> options) => Replace(options.Value.Faults);

    /// <summary>A snapshot; never mutate it.</summary>
    public FaultOptions Current => _current;

    public void Replace(FaultOptions faults)
    {
        _current = faults.Clone();
        Volatile.Write(ref _rejectionsLeft, faults.RejectConnections);
    }

    /// <summary>True (and one rejection used up) when this connection attempt is to be refused.</summary>
    public bool TryTakeRejection()
    {
        while (true)
        {
            var left = Volatile.Read(ref _rejectionsLeft);
            if (left <= 0) return false;
            if (Interlocked.CompareExchange(ref _rejectionsLeft, left - 1, left) == left) return true;
        }
    }
}
