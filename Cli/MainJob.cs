using System.Diagnostics;
using QSim.Kernels;
using QSim.Simulator;

namespace QSim.Cli;

/// <summary>
/// The main job: the layered benchmark circuit (RY layers + CNOT chain) on a large register, and the batched QNN
/// (RX encoding, RY layers + CNOT ring, ⟨Z_i⟩) on a batch of samples, with results and timings.
/// </summary>
internal static class MainJob
{
    public static int Run(string acceleratorChoice, string precision, int qubits, int layers, int qnnQubits, int batch, int repeats, TextWriter output)
    {
        using var context = AcceleratorContext.Create();
        Accelerator accelerator;
        try
        {
            accelerator = AcceleratorChoice.Select(context, acceleratorChoice);
        }
        catch (AcceleratorNotAvailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        output.WriteLine($"QSim main job on {accelerator} [{precision}]");
        return precision.Trim().ToLowerInvariant() switch
        {
            "double" or "fp64" or "f64" => Jobs<double>(accelerator, qubits, layers, qnnQubits, batch, repeats, output),
            "float" or "single" or "fp32" or "f32" => Jobs<float>(accelerator, qubits, layers, qnnQubits, batch, repeats, output),
            _ => Fail($"unknown precision '{precision}': expected float or double"),
        };
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }

    private static int Jobs<T>(Accelerator accelerator, int qubits, int layers, int qnnQubits, int batch, int repeats, TextWriter output) where T : unmanaged
    {
        var simulator = new Simulator<T>(accelerator);
        repeats = Math.Max(1, repeats);

        // 1. Layered circuit.
        var layered = CircuitLibrary.Layered(qubits, layers);
        output.WriteLine();
        output.WriteLine($"Layered circuit: {qubits} qubits, {layers} layers, {layered.Gates.Count} gates, state {Accelerator.StateBytes<T>(qubits, 1) / (double)(1 << 20):F0} MiB");
        double best = double.MaxValue;
        double[] z = [];
        double norm = 0;
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            using var state = simulator.Run(layered);
            accelerator.Synchronize();
            watch.Stop();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
            if (r == 0)
            {
                z = Enumerable.Range(0, Math.Min(qubits, 4)).Select(q => simulator.Expectation(state, Observable.Z(q))[0]).ToArray();
                var n2 = new double[1];
                accelerator.NormSquared(state, n2);
                norm = n2[0];
            }
        }
        output.WriteLine($"  norm² = {norm:F9}; ⟨Z_0..{z.Length - 1}⟩ = [{string.Join(", ", z.Select(v => v.ToString("F6")))}]");
        output.WriteLine($"  time (best of {repeats}): {best:F3} s, {layered.Gates.Count / best:F0} gates/s");

        // 2. Batched QNN.
        var qnn = CircuitLibrary.Qnn(qnnQubits, 2);
        var rng = new Random(7);
        var values = new ParameterValues();
        for (int q = 0; q < qnnQubits; q++) values.Input($"x{q}", Enumerable.Range(0, batch).Select(_ => rng.NextDouble() * Math.PI).ToArray());
        foreach (var w in qnn.Weights) values.Weight(w.Name, rng.NextDouble() * 2 * Math.PI);
        var observables = CircuitLibrary.ZOnEveryQubit(qnnQubits);
        output.WriteLine();
        output.WriteLine($"Batched QNN: {qnnQubits} qubits, batch {batch}, {qnn.Gates.Count} gates, {qnn.Weights.Count} weights, ⟨Z_i⟩ on every qubit");
        best = double.MaxValue;
        double[][] result = [];
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            result = simulator.Expectations(qnn, observables, values, batch);
            watch.Stop();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        for (int b = 0; b < Math.Min(3, batch); b++)
        {
            output.WriteLine($"  sample {b}: ⟨Z⟩ = [{string.Join(", ", result[b].Select(v => v.ToString("F5")))}]");
        }
        output.WriteLine($"  time (best of {repeats}): {best * 1e3:F1} ms, {batch / best:F0} circuits/s");
        return 0;
    }
}
