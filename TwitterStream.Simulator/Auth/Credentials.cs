using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TwitterStream.Simulator.Auth;

/// <summary>The app credentials the simulator accepts and the bearer token it issues for them.</summary>
internal sealed class Credentials
{
    private readonly byte[] _key;
    private readonly byte[] _secret;
    private readonly byte[] _token;

    public Credentials(IOptions<SimulatorOptions> options)
    {
        var o = options.Value;
        _key = Encoding.UTF8.GetBytes(o.ConsumerKey);
        _secret = Encoding.UTF8.GetBytes(o.ConsumerSecret);
        BearerToken = string.IsNullOrEmpty(o.BearerToken) ? Derive(o.ConsumerKey, o.ConsumerSecret) : o.BearerToken;
        _token = Encoding.UTF8.GetBytes(BearerToken);
    }

    public string BearerToken { get; }

    /// <summary>Checks <c>Basic base64(urlencode(key):urlencode(secret))</c> as X's token endpoint does.</summary>
    public bool IsValidBasic(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return false;
        var key = Encoding.UTF8.GetBytes(WebUtility.UrlDecode(decoded[..colon]));
        var secret = Encoding.UTF8.GetBytes(WebUtility.UrlDecode(decoded[(colon + 1)..]));
        // Both comparisons always run, in constant time, so timing says nothing about which part was wrong.
        return CryptographicOperations.FixedTimeEquals(key, _key) & CryptographicOperations.FixedTimeEquals(secret, _secret);
    }

    public bool IsValidBearer(string? authorization) =>
        authorization is not null
        && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim()), _token);

    /// <summary>X's tokens start with "AAAA"; this one is stable for a key and secret so restarts keep it valid.</summary>
    private static string Derive(string key, string secret)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"twitterstream-simulator:{key}:{secret}"));
        return "AAAAAAAAAAAAAAAAAAAAA" + Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
