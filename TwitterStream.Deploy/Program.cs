using TwitterStream.Deploy;

return await DeployApp.RunAsync(args, ToolContext.FromProcess(), CancellationToken.None);
