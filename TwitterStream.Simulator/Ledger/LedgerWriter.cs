using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using TwitterStream.Contracts;
using TwitterStream.Simulator.Posts;
using TwitterStream.Simulator.Rules;

namespace TwitterStream.Simulator.Ledger;

/// <summary>
/// One NDJSON line per distinct post matched (and one per re-delivery by backfill, marked as such), written off the stream's hot path by a background reader of a channel.
/// The file (<see cref="SimulatorOptions.LedgerPath"/>) is truncated at start; without a path the ledger stays in memory.
/// </summary>
internal sealed class LedgerWriter : BackgroundService
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _path;
    private readonly ArrayBufferWriter<byte> _memory = new();
    private readonly Lock _memoryGate = new();
    private readonly System.IO.Stream? _file;

    public LedgerWriter(IOptions<SimulatorOptions> options)
    {
        _path = options.Value.LedgerPath;
        if (!string.IsNullOrEmpty(_path))
            _file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, 1 << 16, useAsync: true);
    }

    /// <param name="delivery">Null for a post sent live; <see cref="LedgerEntry.Backfilled"/> or <see cref="LedgerEntry.Missed"/>.</param>
    public void Append(SimPost post, StreamRule[] matched, string? delivery = null) => _queue.Writer.TryWrite(new PendingLine(post, matched, delivery));

    /// <summary>Completes once everything appended before the call is in the file (or memory).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite(done);
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Copies the ledger so far to <paramref name="destination"/>.</summary>
    public async Task CopyToAsync(System.IO.Stream destination, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        if (_file is null)
        {
            byte[] copy;
            lock (_memoryGate) copy = _memory.WrittenSpan.ToArray();
            await destination.WriteAsync(copy, cancellationToken);
            return;
        }
        await using var reader = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await reader.CopyToAsync(destination, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var line = new ArrayBufferWriter<byte>(512);
        await using var json = new Utf8JsonWriter(line, new JsonWriterOptions { Encoder = StreamJson.Encoder });
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    if (item is TaskCompletionSource flush)
                    {
                        if (_file is not null) await _file.FlushAsync(stoppingToken);
                        flush.TrySetResult();
                        continue;
                    }
                    line.ResetWrittenCount();
                    json.Reset(line);
                    ((PendingLine)item).Write(json);
                    json.Flush();
                    line.Write("\n"u8);
                    if (_file is not null) await _file.WriteAsync(line.WrittenMemory, stoppingToken);
                    else lock (_memoryGate) _memory.Write(line.WrittenSpan);
                }
                if (_file is not null) await _file.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_file is not null) await _file.DisposeAsync();
    }

    private sealed record PendingLine(SimPost Post, StreamRule[] Rules, string? Delivery)
    {
        public void Write(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteString(LedgerEntry.IdField, Post.Id);
            json.WriteString(LedgerEntry.AuthorIdField, Post.Author.EncodedId);
            json.WriteString(LedgerEntry.UsernameField, Post.Author.EncodedUsername);
            json.WriteString(LedgerEntry.CreatedAtField, StreamJson.FormatTime(Post.CreatedAt));
            json.WriteStartArray(LedgerEntry.RulesField);
            foreach (var rule in Rules)
            {
                json.WriteStartObject();
                json.WriteString(LedgerRule.IdField, rule.EncodedId);
                if (rule.EncodedTag is { } tag) json.WriteString(LedgerRule.TagField, tag);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (Delivery is not null) json.WriteString(LedgerEntry.DeliveryField, Delivery);
            json.WriteEndObject();
        }
    }
}
