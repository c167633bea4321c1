namespace TwitterStream.Deploy;

/// <summary>A problem the user can fix; its message is one line that says what is wrong and how to fix it.</summary>
internal sealed class DeployError(string message) : Exception(message);
