using System.Globalization;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using TwitterStream.AppHost;
using TwitterStream.Harness;
using TwitterStream.LocalTools;

namespace TwitterStream.Tests.AppHost;

/// <summary>
/// Issue 19: what the local system exposes. The AppHost is started as <c>dotnet run</c> starts it (Docker-free mode,
/// dynamodb-admin on when Node.js is present) and every listening TCP socket of its processes is read from /proc.
/// </summary>
public sealed class LocalExposureTests
{
    /// <summary>An origin no one listed: a web page the developer happens to have open.</summary>
    private const string UnlistedOrigin = "http://attacker.example";

    [Fact]
    public async Task Every_listening_socket_of_the_AppHosts_processes_is_on_loopback_except_DynamoDB_Locals_and_it_grants_no_CORS()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the listening sockets are read from /proc (Linux only)");
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var dynamoDbPort = LocalPorts.Free();
        var withAdmin = new MachineToolProbes("docker").NodeAvailable();

        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TwitterStream_AppHost>(
        [
            "TwitterStream:AwsEmulator=dynamodb-local",
            $"TwitterStream:DynamoDbPort={dynamoDbPort}",
            $"TwitterStream:DynamoDbAdminPort={LocalPorts.Free()}",
            $"TwitterStream:TableName=exposure-{Guid.NewGuid():N}",
            "Simulator:TotalPosts=20",
        ], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);
        string[] resources = withAdmin ? ["dynamodb-local", "simulator", "worker", "dynamodb-admin"] : ["dynamodb-local", "simulator", "worker"];
        if (withAdmin)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync("dynamodb-admin", timeout.Token);
        }

        var processes = AppHostProcesses(app, resources);
        var listening = ProcNet.ListeningSockets();
        var found = processes
            .SelectMany(pid => ProcNet.SocketInodes(pid).Select(inode => (Pid: pid, Inode: inode)))
            .Where(owned => listening.ContainsKey(owned.Inode))
            .Select(owned => (owned.Pid, Command: ProcNet.CommandLine(owned.Pid), Endpoint: listening[owned.Inode]))
            .ToList();
        var report = string.Join("\n", found.Select(f => $"  pid {f.Pid} {f.Endpoint} {Shorten(f.Command)}"));

        // The one documented exception (README, "Local network exposure"): DynamoDB Local has no bind-address option.
        bool IsDynamoDbLocal((int Pid, string Command, IPEndPoint Endpoint) socket) =>
            socket.Command.Contains(DynamoDbLocalDistribution.JarPath, StringComparison.Ordinal) && socket.Endpoint.Port == dynamoDbPort;
        var exposed = found.Where(f => !IPAddress.IsLoopback(f.Endpoint.Address) && !IsDynamoDbLocal(f)).ToList();
        Assert.True(exposed.Count == 0, $"Listening beyond loopback (not a documented exception):\n{string.Join("\n", exposed.Select(f => $"  pid {f.Pid} {f.Endpoint} {Shorten(f.Command)}"))}\nAll:\n{report}");

        // The check saw what it claims to: each process's own socket, DynamoDB Local's (the exception) among them.
        Assert.True(found.Any(IsDynamoDbLocal), $"DynamoDB Local's socket on port {dynamoDbPort} was not found:\n{report}");
        foreach (var program in withAdmin ? ["TwitterStream.Worker", "TwitterStream.Simulator", "dynamodb-admin"] : new[] { "TwitterStream.Worker", "TwitterStream.Simulator" })
        {
            Assert.True(found.Any(f => f.Command.Contains(program, StringComparison.Ordinal)), $"No listening socket of {program} was found:\n{report}");
        }

        // DynamoDB Local, reachable beyond loopback, at least grants no browser page the right to read its answers.
        using var http = new HttpClient { BaseAddress = app.GetEndpoint("dynamodb-local", "http") };
        var permission = await CorsProbe.AllowedOriginAsync(http, UnlistedOrigin, timeout.Token);
        Assert.Null(permission);
    }

    [Fact]
    public async Task DynamoDB_Local_grants_CORS_to_a_listed_origin_only_so_the_probe_sees_a_permission_when_there_is_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await DynamoDbLocalDistribution.EnsureInstalledAsync(ct);
        const string listed = "http://listed.example:8001";
        var port = LocalPorts.Free();
        await using var process = ManagedProcess.Start("DynamoDB Local", "java",
            DynamoDbLocalDistribution.JavaArguments(port, corsOrigins: [listed]), workingDirectory: DynamoDbLocalDistribution.InstallDirectory);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Readiness.WaitUntilAsync(process, async () =>
        {
            using var response = await http.GetAsync("/", ct);
            return true;
        }, TimeSpan.FromSeconds(60), "answer HTTP", ct);

        Assert.Equal(listed, await CorsProbe.AllowedOriginAsync(http, listed, ct));
        Assert.Null(await CorsProbe.AllowedOriginAsync(http, UnlistedOrigin, ct));
    }

    private static string Shorten(string command) => command.Length <= 160 ? command : command[..160] + "…";

    private static int Pid(DistributedApplication app, string resource)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var state), $"No state for {resource}");
        var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
        return Convert.ToInt32(pid, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// DCP (the orchestrator the AppHost starts) and everything below it: the tree that holds the resources' processes.
    /// Found from the resources' pids upwards, so another AppHost the test process runs at the same time is left out.
    /// </summary>
    private static HashSet<int> AppHostProcesses(DistributedApplication app, IEnumerable<string> resources)
    {
        var parents = ProcNet.ParentsByPid();
        var roots = new HashSet<int>();
        foreach (var resource in resources)
        {
            var pid = Pid(app, resource);
            while (parents.TryGetValue(pid, out var parent) && parent != Environment.ProcessId && parent > 1)
            {
                pid = parent;
            }

            roots.Add(pid);
        }

        var tree = new HashSet<int>(roots);
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                grew |= tree.Contains(parent) && tree.Add(pid);
            }
        }
        while (grew);

        return tree;
    }
}

/// <summary>Asks like a browser would before a cross-origin DynamoDB call: the <c>Access-Control-Allow-Origin</c> it gets back, if any.</summary>
internal static class CorsProbe
{
    public static async Task<string?> AllowedOriginAsync(HttpClient http, string origin, CancellationToken ct)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-amz-date,x-amz-target");
        using var preflightResponse = await http.SendAsync(preflight, ct);
        var preflightAllows = AllowOrigin(preflightResponse);

        // The call itself (DynamoDB Local checks the signature's form, not its value).
        using var call = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("{}", null, "application/x-amz-json-1.0"),
        };
        call.Headers.Add("Origin", origin);
        call.Headers.Add("X-Amz-Target", "DynamoDB_20120810.ListTables");
        call.Headers.Add("X-Amz-Date", "20260101T000000Z");
        call.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00");
        using var callResponse = await http.SendAsync(call, ct);
        Assert.True(callResponse.IsSuccessStatusCode, $"ListTables from origin {origin} answered {(int)callResponse.StatusCode}");
        return preflightAllows ?? AllowOrigin(callResponse);
    }

    private static string? AllowOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(",", values) : null;
}

/// <summary>The Linux /proc views the exposure test needs: processes' parents, sockets and command lines, and listening TCP sockets.</summary>
internal static class ProcNet
{
    private const string Listen = "0A";

    /// <summary>Every process's parent, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public static Dictionary<int, int> ParentsByPid()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return parents;
    }

    /// <summary>The socket inodes a process holds open (<c>/proc/&lt;pid&gt;/fd/* → socket:[inode]</c>).</summary>
    public static IEnumerable<long> SocketInodes(int pid)
    {
        string[] links;
        try
        {
            links = Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var inodes = new List<long>();
        foreach (var link in links)
        {
            var target = new FileInfo(link).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(long.Parse(target["socket:[".Length..^1], CultureInfo.InvariantCulture));
            }
        }

        return inodes;
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Every listening TCP socket on the machine (IPv4 and IPv6), by inode.</summary>
    public static Dictionary<long, IPEndPoint> ListeningSockets()
    {
        var sockets = new Dictionary<long, IPEndPoint>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] == Listen)
                {
                    sockets[long.Parse(fields[9], CultureInfo.InvariantCulture)] = Endpoint(fields[1]);
                }
            }
        }

        return sockets;
    }

    /// <summary>"0100007F:1F40" (IPv4) or 32 hex digits (IPv6), each 32-bit word in host (little-endian) order.</summary>
    private static IPEndPoint Endpoint(string hex)
    {
        var (address, port) = (hex[..hex.IndexOf(':')], hex[(hex.IndexOf(':') + 1)..]);
        var bytes = new byte[address.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            for (var b = 0; b < 4; b++)
            {
                bytes[(word * 4) + b] = byte.Parse(address.AsSpan((word * 8) + ((3 - b) * 2), 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        var ip = new IPAddress(bytes);
        return new IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, int.Parse(port, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
