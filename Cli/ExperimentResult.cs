using QSim.Attention.Training;

namespace QSim.Cli;

/// <summary>The outcome of one experiment (one row of <c>docs/results.md</c>).</summary>
internal sealed record ExperimentResult(
    string Data,
    string DataDescription,
    string Model,
    string ModelDetails,
    bool Distilled,
    int Parameters,
    CostEstimate Cost,
    Evaluation Val,
    Evaluation? Test,
    int Epochs,
    int BestEpoch,
    double SecondsPerEpoch,
    double WallSeconds,
    string? TeacherDetails);
