using TwitterStream.Simulator;

SimulatorApp.Create(args).Run();
