using System.Diagnostics.CodeAnalysis;

namespace QSim.Simulator;

/// <summary>
/// Values bound to circuit parameters by name: one shared value per weight, one value per sample per input.
/// The setters are fluent and overwrite earlier bindings of the same name.
/// </summary>
/// <remarks>
/// <para>Nothing is checked against a circuit here: when a circuit runs, every one of its parameters must be bound
/// with its own kind (else <see cref="UnboundParameterException"/> or <see cref="ParameterBindingException"/>), every
/// value must be finite, and every input must have one value per sample. Bindings for names the circuit does not use
/// are ignored, so one set of values can serve several circuits.</para>
/// <para>Input arrays are copied when bound; later changes to the caller's array have no effect.</para>
/// </remarks>
public sealed class ParameterValues
{
    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _inputs = new(StringComparer.Ordinal);

    /// <summary>Number of names bound.</summary>
    public int Count => _weights.Count + _inputs.Count;

    /// <summary>The names bound as weights.</summary>
    public IEnumerable<string> WeightNames => _weights.Keys;

    /// <summary>The names bound as inputs.</summary>
    public IEnumerable<string> InputNames => _inputs.Keys;

    /// <summary>Binds a weight: one value shared by every sample.</summary>
    /// <param name="name">The weight's name.</param>
    /// <param name="value">Its value (checked to be finite when a circuit runs).</param>
    /// <returns>This object.</returns>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public ParameterValues Weight(string name, double value)
    {
        CheckName(name);
        _inputs.Remove(name);
        _weights[name] = value;
        return this;
    }

    /// <summary>Binds several weights at once, e.g. a circuit's <see cref="Circuit.Weights"/> and a weight vector.</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="values">One value per weight, in the same order.</param>
    /// <returns>This object.</returns>
    /// <exception cref="ArgumentNullException">The list or one of its entries is null.</exception>
    /// <exception cref="ParameterBindingException">The lengths differ or a parameter is an input.</exception>
    public ParameterValues Weights(IReadOnlyList<Parameter> weights, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != values.Length)
        {
            throw new ParameterBindingException($"{weights.Count} weights were given {values.Length} values: expected one value per weight", null, nameof(values));
        }
        for (int j = 0; j < weights.Count; j++)
        {
            var p = weights[j] ?? throw new ArgumentNullException(nameof(weights), $"weight {j} is null");
            if (p.Kind != ParameterKind.Weight)
            {
                throw new ParameterBindingException($"parameter {j}, '{p.Name}', is an input, not a weight: bind it with Input(name, perSample)", p.Name, nameof(weights));
            }
        }
        for (int j = 0; j < weights.Count; j++) Weight(weights[j].Name, values[j]);
        return this;
    }

    /// <summary>Binds an input: one value per sample (the array's length is the batch size).</summary>
    /// <param name="name">The input's name.</param>
    /// <param name="perSample">One value per sample; copied.</param>
    /// <returns>This object.</returns>
    /// <exception cref="ArgumentNullException">The array is null.</exception>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public ParameterValues Input(string name, double[] perSample)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(perSample);
        _weights.Remove(name);
        _inputs[name] = (double[])perSample.Clone();
        return this;
    }

    /// <summary>Binds a weight parameter.</summary>
    /// <param name="parameter">A weight.</param>
    /// <param name="value">Its value.</param>
    /// <returns>This object.</returns>
    /// <exception cref="ArgumentNullException">The parameter is null.</exception>
    /// <exception cref="ParameterBindingException">The parameter is an input, which needs one value per sample.</exception>
    public ParameterValues Set(Parameter parameter, double value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.Kind != ParameterKind.Weight)
        {
            throw new ParameterBindingException($"input '{parameter.Name}' needs one value per sample, not a single value", parameter.Name, nameof(value));
        }
        return Weight(parameter.Name, value);
    }

    /// <summary>Binds an input parameter.</summary>
    /// <param name="parameter">An input.</param>
    /// <param name="perSample">One value per sample; copied.</param>
    /// <returns>This object.</returns>
    /// <exception cref="ArgumentNullException">The parameter or the array is null.</exception>
    /// <exception cref="ParameterBindingException">The parameter is a weight, which takes one shared value.</exception>
    public ParameterValues Set(Parameter parameter, double[] perSample)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.Kind != ParameterKind.Input)
        {
            throw new ParameterBindingException($"weight '{parameter.Name}' takes one value shared by the batch, not one per sample", parameter.Name, nameof(perSample));
        }
        return Input(parameter.Name, perSample);
    }

    /// <summary>Whether a name is bound (as a weight or an input).</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when bound.</returns>
    public bool Contains(string name) => name is not null && (_weights.ContainsKey(name) || _inputs.ContainsKey(name));

    /// <summary>The value bound to a weight name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value, or 0 when the name is not bound as a weight.</param>
    /// <returns>True when the name is bound as a weight.</returns>
    public bool TryGetWeight(string name, out double value)
    {
        value = 0;
        return name is not null && _weights.TryGetValue(name, out value);
    }

    /// <summary>The per-sample values bound to an input name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="perSample">The values (read-only), or null when the name is not bound as an input.</param>
    /// <returns>True when the name is bound as an input.</returns>
    public bool TryGetInput(string name, [NotNullWhen(true)] out IReadOnlyList<double>? perSample)
    {
        perSample = null;
        if (name is null || !_inputs.TryGetValue(name, out var values)) return false;
        perSample = Array.AsReadOnly(values);
        return true;
    }

    /// <summary>An independent copy of these bindings.</summary>
    /// <returns>The copy.</returns>
    public ParameterValues Clone()
    {
        var copy = new ParameterValues();
        foreach (var (name, value) in _weights) copy._weights[name] = value;
        foreach (var (name, values) in _inputs) copy._inputs[name] = values;
        return copy;
    }

    /// <summary>Internal access to a bound weight.</summary>
    internal bool TryGetWeightValue(string name, out double value) => _weights.TryGetValue(name, out value);

    /// <summary>Internal access to a bound input's array (not copied; never mutated).</summary>
    internal bool TryGetInputArray(string name, [NotNullWhen(true)] out double[]? values) => _inputs.TryGetValue(name, out values);

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("a parameter name must not be null, empty or white space", nameof(name));
        }
    }
}
