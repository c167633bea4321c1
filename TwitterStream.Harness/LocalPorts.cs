using System.Net;
using System.Net.Sockets;

namespace TwitterStream.Harness;

public static class LocalPorts
{
    /// <summary>A loopback TCP port that was free a moment ago, for a process that takes its port as a setting.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
