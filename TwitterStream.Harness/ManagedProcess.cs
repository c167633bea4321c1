using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace TwitterStream.Harness;

/// <summary>
/// A child process the harness owns: started with its settings in the environment (never on the command line, where
/// other users of the machine could read them), its output kept for diagnostics, and signalled the way ECS signals a
/// task (SIGTERM, then SIGKILL).
/// </summary>
public sealed partial class ManagedProcess : IAsyncDisposable
{
    private const int RecentLineCount = 400;
    private readonly Process _process;
    private readonly Queue<string> _recent = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StreamWriter? _transcript;

    private ManagedProcess(string name, Process process, string? transcriptPath)
    {
        Name = name;
        _process = process;
        _transcript = transcriptPath is null ? null : new StreamWriter(transcriptPath, append: true) { AutoFlush = true };
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Raised for every line the process writes to stdout or stderr.</summary>
    public event Action<string>? OutputLine;

    public static ManagedProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        bool inheritEnvironment = true,
        string? transcriptPath = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (!inheritEnvironment)
        {
            // Only what the caller gives, plus what dotnet and java need to start: nothing leaks in from this process.
            start.Environment.Clear();
            foreach (var variable in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
            {
                if (Environment.GetEnvironmentVariable(variable) is { } value)
                {
                    start.Environment[variable] = value;
                }
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var managed = new ManagedProcess(name, process, transcriptPath);
        process.OutputDataReceived += (_, e) => managed.Record(e.Data);
        process.ErrorDataReceived += (_, e) => managed.Record(e.Data);
        process.Exited += (_, _) => managed._exited.TrySetResult();
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name}: '{fileName}' did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>The process's last lines of output, for a failure message (every line goes to the transcript file, if one was given).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_recent)
            {
                return string.Join(Environment.NewLine, _recent);
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_recent)
        {
            _recent.Enqueue(line);
            if (_recent.Count > RecentLineCount)
            {
                _recent.Dequeue();
            }

            _transcript?.WriteLine(line);
        }

        OutputLine?.Invoke(line);
    }

    /// <summary>Asks the process to stop, as <c>docker stop</c> and the ECS agent do.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"{Name}: SIGTERM to {_process.Id} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        if (!_process.HasExited && Kill(_process.Id, Sigint) != 0)
        {
            throw new InvalidOperationException($"{Name}: SIGINT to {_process.Id} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>Ends the process and its children at once (SIGKILL).</summary>
    public void KillNow()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _exited.Task.WaitAsync(timeout);
        await _process.WaitForExitAsync(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Resident memory and CPU time, read from /proc.</summary>
    public ProcessSample Sample()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Kilobytes(string key) => long.Parse(
            status.First(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture) * 1024;

        // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) count clock ticks; the name in field 2 may hold spaces.
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcessSample(Kilobytes("VmRSS:"), Kilobytes("VmHWM:"), TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond));
    }

    /// <summary>A file of <c>/proc/&lt;pid&gt;/</c> as bytes, e.g. <c>cmdline</c> or <c>environ</c> (NUL-separated).</summary>
    public byte[] ReadProcFile(string name) => File.ReadAllBytes($"/proc/{_process.Id}/{name}");

    public async ValueTask DisposeAsync()
    {
        KillNow();
        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_recent)
        {
            _transcript?.Dispose();
        }
    }

    private const int Sigint = 2;
    private const int Sigterm = 15;
    private const long ClockTicksPerSecond = 100; // USER_HZ is 100 on every Linux ABI .NET runs on

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <param name="RssBytes">Resident memory now.</param>
/// <param name="PeakRssBytes">The high-water mark of resident memory since the process started.</param>
/// <param name="CpuTime">User plus system CPU time since the process started.</param>
public readonly record struct ProcessSample(long RssBytes, long PeakRssBytes, TimeSpan CpuTime);
