using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TwitterStream.Contracts;
using TwitterStream.Simulator;

namespace TwitterStream.Tests.Simulator;

/// <summary>The simulator started in-process on 127.0.0.1 with a free port, and a real HttpClient pointed at it.</summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    public const string Key = "test-key";
    public const string Secret = "test-secret";

    private readonly WebApplication _app;

    private readonly string _key;
    private readonly string _secret;

    private SimulatorHost(WebApplication app, Uri address, string key, string secret)
    {
        _app = app;
        _key = key;
        _secret = secret;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Keys under <c>Simulator:</c>, e.g. <c>("PostsPerSecond", "0")</c>.</param>
    public static async Task<SimulatorHost> StartAsync(TimeProvider? time, params (string Key, string Value)[] settings)
    {
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            $"--Simulator:ConsumerKey={Key}",
            $"--Simulator:ConsumerSecret={Secret}",
        };
        args.AddRange(settings.Select(s => $"--Simulator:{s.Key}={s.Value}"));
        var app = SimulatorApp.Create([.. args], builder =>
        {
            if (time is not null) builder.Services.AddSingleton(time);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        string Setting(string name, string fallback) => settings.LastOrDefault(s => s.Key == name).Value ?? fallback;
        var host = new SimulatorHost(app, new Uri(address), Setting("ConsumerKey", Key), Setting("ConsumerSecret", Secret));
        host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await host.FetchTokenAsync());
        return host;
    }

    public static Task<SimulatorHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    public async Task<string> FetchTokenAsync()
    {
        using var response = await RequestTokenAsync(_key, _secret, "client_credentials");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<HttpResponseMessage> RequestTokenAsync(string key, string secret, string? grantType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, XApiPaths.Token);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(key)}:{Uri.EscapeDataString(secret)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        var form = grantType is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["grant_type"] = grantType };
        request.Content = new FormUrlEncodedContent(form);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Adds rules (value, tag) and returns their ids in order.</summary>
    public async Task<string[]> AddRulesAsync(params (string Value, string Tag)[] rules)
    {
        using var response = await Client.PostAsJsonAsync(XApiPaths.Rules,
            new { add = rules.Select(r => new { value = r.Value, tag = r.Tag }) }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
    }

    public async Task<StreamConnection> ConnectAsync(string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, XApiPaths.Stream + query);
        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        return new StreamConnection(response);
    }

    public async Task<SimulatorStats> StatsAsync() =>
        await Client.GetFromJsonAsync<SimulatorStats>(SimulatorStats.Path, TestContext.Current.CancellationToken)
        ?? throw new InvalidOperationException("The simulator answered its stats with null.");

    public async Task<JsonElement[]> LedgerAsync()
    {
        var text = await Client.GetStringAsync(LedgerEntry.Path, TestContext.Current.CancellationToken);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
