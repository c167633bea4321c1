namespace TwitterStream.Worker.XApi;

/// <summary>The process exit code: 0 after a normal stop, non-zero when the worker stopped itself on a fatal error.</summary>
internal sealed class WorkerExit(IHostApplicationLifetime lifetime)
{
    public const int FatalErrorCode = 2;

    public int Code { get; private set; }

    public void StopWithError()
    {
        Code = FatalErrorCode;
        lifetime.StopApplication();
    }
}
