using Microsoft.Extensions.Options;

namespace TwitterStream.Worker.Configuration;

internal static class WorkerOptionsRegistration
{
    /// <summary>
    /// Binds <see cref="WorkerOptions"/> from configuration once and validates them when the host starts
    /// (<see cref="OptionsBuilderExtensions.ValidateOnStart{TOptions}"/>); the worker's services take the bound value.
    /// </summary>
    public static IServiceCollection AddWorkerOptions(this IServiceCollection services)
    {
        services.AddSingleton<IConfigureOptions<WorkerOptions>, WorkerOptionsBinder>();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddOptions<WorkerOptions>().ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<WorkerOptions>>().Value);
        return services;
    }

    /// <summary>
    /// Runs the start-time validation now, so a bad value ends the process with one line and exit code 1 before the
    /// host starts (and would log the failure with a stack trace). False with that line when the options are invalid.
    /// </summary>
    public static bool TryValidate(IServiceProvider services, out string error)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            error = "";
            return true;
        }
        catch (OptionsValidationException exception)
        {
            error = string.Join(" ", exception.Failures);
            return false;
        }
    }
}
