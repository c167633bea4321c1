using System.Text;
using Microsoft.Extensions.Logging;

namespace TwitterStream.Tests.Infrastructure;

/// <summary>Keeps every log message, by category.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Category, string Message)> _messages = new();

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, _messages);

    public List<(string Place, byte[] Content)> ByCategory() =>
        [.. _messages.GroupBy(m => m.Category).Select(g => (g.Key, Encoding.UTF8.GetBytes(string.Join('\n', g.Select(m => m.Message)) + "\n")))];

    public void Dispose()
    {
    }

    private sealed class Collector(string category, System.Collections.Concurrent.ConcurrentQueue<(string, string)> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The message, the structured state and any exception: all of it could reach a log sink.
            var parts = new StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    parts.Append(' ').Append(key).Append('=').Append(value);
                }
            }

            messages.Enqueue((category, parts.Append(' ').Append(exception).ToString()));
        }
    }
}
