namespace QSim.Cli;

/// <summary>One row of the results table.</summary>
internal sealed record ResultsRow(ExperimentResult Result, string Training, string Epochs);
