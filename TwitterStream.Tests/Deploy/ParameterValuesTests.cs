using TwitterStream.Deploy;
using TwitterStream.Deploy.Manifest;
using TwitterStream.Deploy.Parameters;

namespace TwitterStream.Tests.Deploy;

/// <summary>Where parameter values come from, in the AppHost's order, and the prompt as the last resort.</summary>
public sealed class ParameterValuesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("twitterstream-parameters-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class RecordingPrompt(bool canPrompt) : ISecretPrompt
    {
        public List<string> Asked { get; } = [];

        public bool CanPrompt => canPrompt;

        public string Ask(string label)
        {
            Asked.Add(label);
            return "typed-value";
        }
    }

    private ParameterValues Values(Dictionary<string, string> environment, ISecretPrompt prompt, string? userSecrets = null)
    {
        var secretsFile = Path.Combine(_folder, "secrets.json");
        if (userSecrets is not null)
        {
            File.WriteAllText(secretsFile, userSecrets);
        }

        return new ParameterValues(new ToolContext(environment, TextWriter.Null, TextWriter.Null, prompt, _folder, secretsFile));
    }

    private static readonly ManifestParameter Key = new("consumer-key", Secret: true, Default: null);

    [Fact]
    public void The_environment_wins_over_user_secrets()
    {
        var values = Values(new() { ["Parameters__consumer-key"] = "from-env" }, new RecordingPrompt(false), """{"Parameters": {"consumer-key": "from-secrets"}}""");

        Assert.Equal("from-env", values.Get(Key));
    }

    [Fact]
    public void User_secrets_are_read_in_both_of_their_shapes()
    {
        Assert.Equal("nested", Values([], new RecordingPrompt(false), """{"Parameters": {"consumer-key": "nested"}}""").Get(Key));
        Assert.Equal("flat", Values([], new RecordingPrompt(false), """{"Parameters:consumer-key": "flat"}""").Get(Key));
    }

    [Fact]
    public void A_person_at_a_terminal_is_asked_once_per_parameter_without_echo()
    {
        var prompt = new RecordingPrompt(true);
        var values = Values([], prompt);

        Assert.Equal("typed-value", values.Get(Key));
        Assert.Equal("typed-value", values.Get(Key));
        Assert.Equal(["Value for parameter 'consumer-key' (secret, not echoed)"], prompt.Asked);
    }

    [Fact]
    public void A_default_is_used_before_anyone_is_asked()
    {
        var prompt = new RecordingPrompt(true);

        Assert.Equal("rule", Values([], prompt).Get(new ManifestParameter("filter", Secret: false, Default: "rule")));
        Assert.Empty(prompt.Asked);
    }
}
