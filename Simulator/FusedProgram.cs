namespace QSim.Simulator;

/// <summary>
/// A circuit compiled into kernel passes. It depends only on the circuit's structure, never on parameter values, so
/// one program serves every binding: only the blocks' matrices are recomputed per run.
/// </summary>
internal sealed class FusedProgram
{
    public FusedProgram(Circuit circuit, FusionOptions options, IReadOnlyList<FusedBlock> blocks)
    {
        Circuit = circuit;
        Options = options;
        Blocks = blocks;
    }

    public Circuit Circuit { get; }

    public FusionOptions Options { get; }

    public IReadOnlyList<FusedBlock> Blocks { get; }
}
