namespace QSim.Simulator;

/// <summary>
/// A circuit with its parameter values resolved and every angle evaluated and checked, ready to run on a batch.
/// Building one performs all binding validation, so nothing can fail half-way through applying the gates.
/// </summary>
internal sealed class BoundCircuit
{
    private BoundCircuit(Circuit circuit, int batchSize, double[][] angles, bool[] perSample)
    {
        Circuit = circuit;
        BatchSize = batchSize;
        Angles = angles;
        PerSample = perSample;
    }

    /// <summary>The circuit.</summary>
    internal Circuit Circuit { get; }

    /// <summary>Samples in the batch.</summary>
    internal int BatchSize { get; }

    /// <summary>
    /// Evaluated angles per gate. Shared gates hold one value per angle; per-sample gates hold
    /// <c>BatchSize × angles</c> values, sample-major (<c>[b · angles + j]</c>).
    /// </summary>
    internal double[][] Angles { get; }

    /// <summary>Whether a gate's angles differ between samples.</summary>
    internal bool[] PerSample { get; }

    /// <summary>The batch size implied by the circuit's inputs and the requested size.</summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="values">Bindings, may be null.</param>
    /// <param name="batchSize">Requested batch size, or null.</param>
    /// <returns>The batch size.</returns>
    internal static int ResolveBatchSize(Circuit circuit, ParameterValues? values, int? batchSize)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        if (batchSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be at least 1, got {batchSize}");
        }
        if (circuit.Inputs.Count == 0) return batchSize ?? 1;
        int? resolved = batchSize;
        string? definedBy = null;
        foreach (var input in circuit.Inputs)
        {
            var perSample = InputArray(input, values);
            if (perSample.Length == 0)
            {
                throw new ParameterBindingException($"input '{input.Name}' has no values: expected one per sample", input.Name, nameof(values));
            }
            if (resolved is null)
            {
                resolved = perSample.Length;
                definedBy = input.Name;
            }
            else if (perSample.Length != resolved)
            {
                string source = definedBy is null ? "the batch size" : $"input '{definedBy}'";
                throw new ParameterBindingException(
                    $"input '{input.Name}' has {perSample.Length} values, expected one per sample: {resolved} (from {source})", input.Name, nameof(values));
            }
        }
        return resolved!.Value;
    }

    /// <summary>Resolves, validates and evaluates everything needed to run <paramref name="circuit"/>.</summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="values">Bindings, may be null when the circuit has no parameters.</param>
    /// <param name="batchSize">Requested batch size, or null to take it from the inputs (1 without inputs).</param>
    /// <returns>The bound circuit.</returns>
    internal static BoundCircuit Bind(Circuit circuit, ParameterValues? values, int? batchSize)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        // Every parameter, in order of first appearance: unbound or wrongly bound names are reported first.
        foreach (var p in circuit.Parameters)
        {
            if (p.Kind == ParameterKind.Weight) WeightValue(p, values);
            else InputArray(p, values);
        }
        int batch = ResolveBatchSize(circuit, values, batchSize);
        foreach (var p in circuit.Parameters)
        {
            if (p.Kind != ParameterKind.Input) continue;
            var array = InputArray(p, values);
            for (int b = 0; b < array.Length; b++)
            {
                if (!double.IsFinite(array[b]))
                {
                    throw new ParameterBindingException($"input '{p.Name}' is {array[b]} at index {b} (sample {b}): values must be finite", p.Name, nameof(values));
                }
            }
        }

        var gates = circuit.GateSpan;
        var angles = new double[gates.Length][];
        var perSample = new bool[gates.Length];
        for (int g = 0; g < gates.Length; g++)
        {
            var gate = gates[g];
            var gateAngles = gate.AngleSpan;
            int n = gateAngles.Length;
            bool varies = false;
            foreach (var a in gateAngles) varies |= a.Parameter is { Kind: ParameterKind.Input };
            varies &= batch > 1;
            perSample[g] = varies;
            int rows = varies ? batch : 1;
            var result = new double[rows * n];
            for (int j = 0; j < n; j++)
            {
                var a = gateAngles[j];
                if (a.Parameter is null)
                {
                    for (int b = 0; b < rows; b++) result[b * n + j] = a.Offset;
                    continue;
                }
                double[]? inputs = a.Parameter.Kind == ParameterKind.Input ? InputArray(a.Parameter, values) : null;
                double shared = inputs is null ? WeightValue(a.Parameter, values) : 0;
                for (int b = 0; b < rows; b++)
                {
                    double v = a.Evaluate(inputs is null ? shared : inputs[b]);
                    if (!double.IsFinite(v))
                    {
                        string where = inputs is null ? "" : $" for sample {b}";
                        throw new ParameterBindingException(
                            $"angle {j} of gate {g} ({gate}) evaluates to {v}{where}: angles must be finite", a.Parameter.Name, nameof(values));
                    }
                    result[b * n + j] = v;
                }
            }
            angles[g] = result;
        }
        return new BoundCircuit(circuit, batch, angles, perSample);
    }

    /// <summary>A copy whose angle <paramref name="j"/> of gate <paramref name="g"/> is shifted by <paramref name="delta"/> in every sample.</summary>
    internal BoundCircuit WithShift(int g, int j, double delta)
    {
        var angles = (double[][])Angles.Clone();
        var shifted = (double[])angles[g].Clone();
        int n = Circuit.GateSpan[g].AngleSpan.Length;
        for (int x = j; x < shifted.Length; x += n) shifted[x] += delta;
        angles[g] = shifted;
        return new BoundCircuit(Circuit, BatchSize, angles, PerSample);
    }

    private static double WeightValue(Parameter p, ParameterValues? values)
    {
        if (values is not null && values.TryGetWeightValue(p.Name, out double value))
        {
            if (!double.IsFinite(value))
            {
                throw new ParameterBindingException($"weight '{p.Name}' is {value}: values must be finite", p.Name, nameof(values));
            }
            return value;
        }
        if (values is not null && values.TryGetInputArray(p.Name, out _))
        {
            throw new ParameterBindingException(
                $"weight '{p.Name}' is bound as an input (one value per sample); a weight takes one value shared by the batch: use Weight(\"{p.Name}\", value)", p.Name, nameof(values));
        }
        throw new UnboundParameterException(p, nameof(values));
    }

    private static double[] InputArray(Parameter p, ParameterValues? values)
    {
        if (values is not null && values.TryGetInputArray(p.Name, out var array)) return array;
        if (values is not null && values.TryGetWeightValue(p.Name, out _))
        {
            throw new ParameterBindingException(
                $"input '{p.Name}' is bound as a weight (one shared value); an input takes one value per sample: use Input(\"{p.Name}\", perSample)", p.Name, nameof(values));
        }
        throw new UnboundParameterException(p, nameof(values));
    }
}
