namespace QSim.Simulator;

/// <summary>
/// Expectation values and their full Jacobian with respect to a circuit's weights and per-sample inputs, as
/// returned by <see cref="Simulator{T}.Gradients"/>.
/// </summary>
/// <remarks>
/// Indices: b = sample, k = observable, w = position in <see cref="Weights"/> (the circuit's
/// <see cref="Circuit.Weights"/>), i = position in <see cref="Inputs"/> (the circuit's <see cref="Circuit.Inputs"/>).
/// An input of sample b affects only sample b, so <c>InputJacobian[b][k][i] = ∂⟨O_k⟩_b / ∂x_i,b</c>.
/// </remarks>
public sealed class ExpectationGradients
{
    internal ExpectationGradients(IReadOnlyList<Parameter> weights, IReadOnlyList<Parameter> inputs, double[][] values,
        double[][][] weightJacobian, double[][][] inputJacobian)
    {
        Weights = weights;
        Inputs = inputs;
        Values = values;
        WeightJacobian = weightJacobian;
        InputJacobian = inputJacobian;
    }

    /// <summary>The weights, in the order of the last index of <see cref="WeightJacobian"/>.</summary>
    public IReadOnlyList<Parameter> Weights { get; }

    /// <summary>The inputs, in the order of the last index of <see cref="InputJacobian"/>.</summary>
    public IReadOnlyList<Parameter> Inputs { get; }

    /// <summary>Expectation values, [sample][observable] (as <see cref="Simulator{T}.Expectations"/>).</summary>
    public double[][] Values { get; }

    /// <summary><c>∂⟨O_k⟩_b / ∂w</c>, [sample][observable][weight].</summary>
    public double[][][] WeightJacobian { get; }

    /// <summary><c>∂⟨O_k⟩_b / ∂x_b</c>, [sample][observable][input].</summary>
    public double[][][] InputJacobian { get; }
}
