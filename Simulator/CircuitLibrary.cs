namespace QSim.Simulator;

/// <summary>
/// Standard circuits used by the benchmarks, the command-line program and the machine-learning layers, built once
/// here so that every consumer measures and trains exactly the same thing.
/// </summary>
public static class CircuitLibrary
{
    /// <summary>
    /// The layered benchmark circuit: <paramref name="layers"/> times, RY on every qubit followed by the CNOT chain
    /// CNOT(0,1), CNOT(1,2), …, CNOT(n−2,n−1).
    /// </summary>
    /// <param name="qubits">Number of qubits n (at least 2).</param>
    /// <param name="layers">Number of layers.</param>
    /// <param name="seed">Seed of the fixed random angles in [0, 2π).</param>
    /// <returns>The circuit, with constant angles.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 qubits or fewer than 1 layer.</exception>
    public static Circuit Layered(int qubits, int layers, int seed = 1)
    {
        if (qubits < 2) throw new ArgumentOutOfRangeException(nameof(qubits), $"the layered circuit needs at least 2 qubits, got {qubits}");
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), $"the layered circuit needs at least 1 layer, got {layers}");
        var rng = new Random(seed);
        var builder = Circuit.Create(qubits);
        for (int l = 0; l < layers; l++)
        {
            for (int q = 0; q < qubits; q++) builder.RY(q, rng.NextDouble() * 2 * Math.PI);
            for (int q = 0; q + 1 < qubits; q++) builder.CNOT(q, q + 1);
        }
        return builder.Build();
    }

    /// <summary>
    /// The batched quantum neural network: RX(x_i) angle encoding of per-sample inputs <c>x0…x{n−1}</c> on every qubit,
    /// then <paramref name="layers"/> times RY(w_{l,i}) on every qubit followed by the CNOT ring 0→1→…→n−1→0.
    /// Trainable weights are named <c>w{l}_{i}</c>.
    /// </summary>
    /// <param name="qubits">Number of qubits n (at least 2).</param>
    /// <param name="layers">Number of trainable layers.</param>
    /// <returns>The circuit with n inputs and n·layers weights.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 qubits or fewer than 1 layer.</exception>
    public static Circuit Qnn(int qubits, int layers)
    {
        if (qubits < 2) throw new ArgumentOutOfRangeException(nameof(qubits), $"the QNN needs at least 2 qubits, got {qubits}");
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), $"the QNN needs at least 1 layer, got {layers}");
        var builder = Circuit.Create(qubits);
        for (int q = 0; q < qubits; q++) builder.RX(q, Parameter.Input($"x{q}"));
        for (int l = 0; l < layers; l++)
        {
            for (int q = 0; q < qubits; q++) builder.RY(q, Parameter.Weight($"w{l}_{q}"));
            for (int q = 0; q < qubits; q++) builder.CNOT(q, (q + 1) % qubits);
        }
        return builder.Build();
    }

    /// <summary>⟨Z_i⟩ for every qubit i of an n-qubit register, in qubit order.</summary>
    /// <param name="qubits">Number of qubits.</param>
    /// <returns>n observables.</returns>
    public static IReadOnlyList<Observable> ZOnEveryQubit(int qubits) =>
        Enumerable.Range(0, qubits).Select(Observable.Z).ToArray();
}
