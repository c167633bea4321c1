var builder = DistributedApplication.CreateBuilder(args);

builder.AddProject<Projects.TwitterStream_Worker>("worker");

builder.Build().Run();
