using System.Numerics;
using QSim.Kernels;

namespace QSim.Simulator;

/// <summary>
/// Maps the gates of a <see cref="BoundCircuit"/> onto accelerator kernels: shared or per-sample dense matrices and
/// diagonals on the gate's targets, with its controls passed as kernel controls, and <see cref="Accelerator.Swap{T}"/>
/// for SWAP.
/// </summary>
internal static class GateApplier
{
    /// <summary>Applies every gate to the state. The binding has been validated; the state matches it.</summary>
    internal static void Apply<T>(Accelerator accelerator, BatchedState<T> state, BoundCircuit bound) where T : unmanaged
    {
        var gates = bound.Circuit.GateSpan;
        int batch = bound.BatchSize;
        Complex[] scratch = [];
        for (int g = 0; g < gates.Length; g++)
        {
            var gate = gates[g];
            if (gate.Kind == GateKind.Swap)
            {
                accelerator.Swap(state, gate.QubitSpan[0], gate.QubitSpan[1]);
                continue;
            }
            int length = gate.CoreLength;
            bool perSample = bound.PerSample[g];
            int rows = perSample ? batch : 1;
            if (scratch.Length < length * rows) scratch = new Complex[length * rows];
            var cores = scratch.AsSpan(0, length * rows);
            var angles = bound.Angles[g];
            int n = gate.AngleSpan.Length;
            for (int b = 0; b < rows; b++)
            {
                gate.WriteCore(angles.AsSpan(b * n, n), cores.Slice(b * length, length));
            }
            var targets = gate.Targets;
            var controls = gate.Controls;
            if (gate.CoreIsDiagonal)
            {
                if (perSample) accelerator.ApplyDiagonalPerSample(state, targets, cores, controls);
                else accelerator.ApplyDiagonal(state, targets, cores, controls);
            }
            else
            {
                if (perSample) accelerator.ApplyMatrixPerSample(state, targets, cores, controls);
                else accelerator.ApplyMatrix(state, targets, cores, controls);
            }
        }
    }
}
