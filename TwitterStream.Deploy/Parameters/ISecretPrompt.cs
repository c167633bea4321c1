namespace TwitterStream.Deploy.Parameters;

/// <summary>Asks the person at the terminal for a parameter value, without echoing it.</summary>
internal interface ISecretPrompt
{
    /// <summary>False when nobody can answer (stdin is redirected, as in CI).</summary>
    bool CanPrompt { get; }

    string Ask(string label);
}

/// <summary>Never asks: for runs where stdin is not a person.</summary>
internal sealed class NoPrompt : ISecretPrompt
{
    public bool CanPrompt => false;

    public string Ask(string label) => throw new InvalidOperationException("no terminal to prompt on");
}
