namespace QSim.Cli;

/// <summary>One data set of the results grid: where it comes from, how it is subsampled, how long models train.</summary>
internal sealed record ResultsDataPlan(string Source, int? TrainLimit, int? ValLimit, int? TestLimit, int Epochs, int FineTuneEpochs);
