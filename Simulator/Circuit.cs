using System.Text;

namespace QSim.Simulator;

/// <summary>
/// An immutable quantum circuit: a number of qubits and a sequence of <see cref="Gate"/>s whose angles may depend on
/// weight and input <see cref="Parameter"/>s. Build one with <see cref="Create"/>; run it with
/// <see cref="Simulator{T}"/>.
/// </summary>
/// <remarks>Qubit 0 is the least-significant bit of the amplitude index. <c>RX(θ) = exp(−iθX/2)</c>, <c>RY</c> and
/// <c>RZ</c> likewise; <c>CNOT(control, target)</c>. See <c>docs/simulator.md</c>.</remarks>
public sealed class Circuit
{
    private readonly Gate[] _gates;

    /// <summary>Creates a circuit from validated gates.</summary>
    /// <param name="qubits">Qubits, 1…62.</param>
    /// <param name="gates">Validated gates (owned by the circuit).</param>
    /// <param name="parameterOrder">The order of the parameters, or null for order of first appearance.</param>
    internal Circuit(int qubits, Gate[] gates, IReadOnlyList<Parameter>? parameterOrder = null)
    {
        Qubits = qubits;
        _gates = gates;
        Gates = Array.AsReadOnly(gates);
        var parameters = parameterOrder?.ToArray() ?? FirstAppearance(gates);
        Parameters = Array.AsReadOnly(parameters);
        Weights = Array.AsReadOnly(Array.FindAll(parameters, p => p.Kind == ParameterKind.Weight));
        Inputs = Array.AsReadOnly(Array.FindAll(parameters, p => p.Kind == ParameterKind.Input));
    }

    /// <summary>Number of qubits.</summary>
    public int Qubits { get; }

    /// <summary>The gates in the order they are applied.</summary>
    public IReadOnlyList<Gate> Gates { get; }

    /// <summary>The distinct weight parameters, in order of first appearance.</summary>
    public IReadOnlyList<Parameter> Weights { get; }

    /// <summary>The distinct input parameters, in order of first appearance.</summary>
    public IReadOnlyList<Parameter> Inputs { get; }

    /// <summary>Every distinct parameter, weights and inputs, in order of first appearance.</summary>
    internal IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The gates as a span.</summary>
    internal ReadOnlySpan<Gate> GateSpan => _gates;

    /// <summary>Starts building a circuit.</summary>
    /// <param name="qubits">Number of qubits, 1…62.</param>
    /// <returns>An empty builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The number of qubits is outside 1…62.</exception>
    public static CircuitBuilder Create(int qubits) => new(qubits);

    /// <summary>
    /// The adjoint circuit U†: the gates in reverse order, each replaced by its adjoint (negated angles, S ↔ S†,
    /// T ↔ T†, U3(θ, φ, λ) → U3(−θ, −λ, −φ); √X, iSWAP and unitary matrices become their conjugate transposes as
    /// <see cref="GateKind.Unitary"/> gates).
    /// </summary>
    /// <returns>The inverse. Its <see cref="Weights"/> and <see cref="Inputs"/> keep this circuit's order, so the same
    /// bindings and weight vectors apply to both.</returns>
    public Circuit Inverse()
    {
        var gates = new Gate[_gates.Length];
        for (int g = 0; g < _gates.Length; g++) gates[g] = _gates[_gates.Length - 1 - g].Adjoint();
        return new Circuit(Qubits, gates, Parameters);
    }

    /// <summary>A readable listing: a header line, then one numbered gate per line.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Circuit: ").Append(Qubits).Append(Qubits == 1 ? " qubit, " : " qubits, ")
          .Append(_gates.Length).Append(_gates.Length == 1 ? " gate" : " gates");
        if (Weights.Count > 0) sb.Append(", weights [").AppendJoin(", ", Weights).Append(']');
        if (Inputs.Count > 0) sb.Append(", inputs [").AppendJoin(", ", Inputs).Append(']');
        int width = Math.Max(1, (_gates.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        for (int g = 0; g < _gates.Length; g++)
        {
            sb.AppendLine().Append("  ").Append(g.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)).Append(": ").Append(_gates[g]);
        }
        return sb.ToString();
    }

    private static Parameter[] FirstAppearance(Gate[] gates)
    {
        var seen = new HashSet<Parameter>();
        var order = new List<Parameter>();
        foreach (var gate in gates)
        {
            foreach (var angle in gate.AngleSpan)
            {
                if (angle.Parameter is { } p && seen.Add(p)) order.Add(p);
            }
        }
        return [.. order];
    }
}
