using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace TwitterStream.Tests.Simulator;

/// <summary>An open stream response read line by line as raw bytes (so malformed UTF-8 survives for inspection).</summary>
internal sealed class StreamConnection(HttpResponseMessage response) : IAsyncDisposable
{
    private PipeReader? _reader;

    public HttpResponseMessage Response { get; } = response;

    /// <summary>The next line without its <c>\r\n</c> (empty for a keep-alive), or null when the server ended the stream.</summary>
    public async Task<byte[]?> ReadLineAsync(TimeSpan? timeout = null)
    {
        _reader ??= PipeReader.Create(await Response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken),
            new StreamPipeReaderOptions(bufferSize: 1 << 16));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var result = await _reader.ReadAsync(cts.Token);
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is { } position)
            {
                var line = buffer.Slice(0, position).ToArray();
                _reader.AdvanceTo(buffer.GetPosition(1, position));
                return line is [.., (byte)'\r'] ? line[..^1] : line;
            }
            if (result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                return null;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The next post message, skipping keep-alives; fails if the stream ends or sends something else.</summary>
    public async Task<JsonElement> ReadPostAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var line = await ReadLineAsync(timeout) ?? throw new InvalidOperationException("The stream ended before a post arrived.");
            if (line.Length == 0) continue;
            var message = JsonDocument.Parse(line).RootElement.Clone();
            Assert.True(message.TryGetProperty("data", out _), $"Expected a post, got: {System.Text.Encoding.UTF8.GetString(line)}");
            return message;
        }
    }

    public async Task<List<JsonElement>> ReadPostsAsync(int count)
    {
        var posts = new List<JsonElement>(count);
        for (var i = 0; i < count; i++) posts.Add(await ReadPostAsync());
        return posts;
    }

    public async ValueTask DisposeAsync()
    {
        if (_reader is not null) await _reader.CompleteAsync();
        Response.Dispose();
    }
}
