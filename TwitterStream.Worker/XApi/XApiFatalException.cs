namespace TwitterStream.Worker.XApi;

/// <summary>An X API answer the worker cannot work around (bad credentials, a rejected rule): the worker stops.</summary>
internal sealed class XApiFatalException(string message) : Exception(message);
