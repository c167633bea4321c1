using Microsoft.Extensions.Options;
using TwitterStream.Contracts;
using TwitterStream.Simulator.Ledger;

namespace TwitterStream.Simulator.Usage;

/// <summary>
/// The project's post reads in the current billing cycle: the configured starting usage plus every post sent, counted
/// from zero again once the cycle resets on the simulator's clock.
/// </summary>
internal sealed class UsageMeter(IOptions<SimulatorOptions> options, SimStats stats, TimeProvider time)
{
    private readonly Lock _lock = new();
    private BillingCycle? _cycle;
    private long _sentBeforeCycle;
    private long _carried;

    public UsageOptions Options => options.Value.Usage;

    public (long Used, BillingCycle Cycle) Read()
    {
        var cycle = BillingCycle.Containing(time.GetUtcNow(), Options.CapResetDay);
        var sent = stats.PostsSent;
        lock (_lock)
        {
            if (_cycle is null)
            {
                _cycle = cycle;
                _carried = Options.StartingUsage;
            }
            else if (_cycle != cycle)
            {
                _cycle = cycle;
                _sentBeforeCycle = sent;
                _carried = 0;
            }

            return (_carried + sent - _sentBeforeCycle, cycle);
        }
    }

    public bool CapReached => Read().Used >= Options.Cap;
}
