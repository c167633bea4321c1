using Microsoft.Extensions.Options;
using TwitterStream.Simulator;

namespace TwitterStream.Tests.Simulator;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("MatchingShare", "1.5", "Simulator:MatchingShare must be between 0 and 1")]
    [InlineData("LongPostShare", "-0.1", "Simulator:LongPostShare must be between 0 and 1")]
    [InlineData("BurstSize", "0", "Simulator:BurstSize must be >= 1")]
    [InlineData("PostsPerSecond", "-1", "Simulator:PostsPerSecond must be >= 0")]
    [InlineData("Faults:RejectStatus", "500", "Simulator:Faults:RejectStatus must be 429 or 503")]
    [InlineData("Faults:DuplicateRate", "2", "Simulator:Faults:DuplicateRate must be between 0 and 1")]
    [InlineData("Usage:Cap", "0", "Simulator:Usage:Cap must be >= 1")]
    [InlineData("Usage:CapResetDay", "32", "Simulator:Usage:CapResetDay must be a day of the month, 1 to 31")]
    [InlineData("Usage:StartingUsage", "-5", "Simulator:Usage:StartingUsage must be >= 0")]
    [InlineData("ReplayPath", "/nonexistent/posts.ndjson", "Simulator:ReplayPath '/nonexistent/posts.ndjson' does not exist")]
    public async Task Bad_settings_stop_the_start_with_a_one_line_error(string key, string value, string expected)
    {
        await using var app = SimulatorApp.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=None", $"--Simulator:{key}={value}"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        var failure = Assert.Single(error.Failures);
        Assert.Contains(expected, failure);
        Assert.DoesNotContain('\n', failure);
    }

    [Fact]
    public async Task A_replay_file_with_a_bad_line_stops_the_start_naming_the_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sim-bad-replay-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(path, ["""{"id":"1","text":"fine"}""", """{"text":"no id"}"""], TestContext.Current.CancellationToken);
        try
        {
            await using var app = SimulatorApp.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=None", $"--Simulator:ReplayPath={path}"]);
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => app.StartAsync(TestContext.Current.CancellationToken));
            Assert.Contains("line 2 is not a post", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
