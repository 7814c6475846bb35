namespace QSim.Simulator;

/// <summary>
/// The result of <see cref="Simulator{T}.Backward"/>: expectation values and the gradient of a scalar loss L with
/// respect to the circuit's weights and inputs, given the upstream gradient <c>g[b][k] = ∂L/∂⟨O_k⟩_b</c> — the
/// backward pass of a quantum layer.
/// </summary>
public sealed class VectorJacobianProduct
{
    internal VectorJacobianProduct(IReadOnlyList<Parameter> weights, IReadOnlyList<Parameter> inputs, double[][] values,
        double[] weightGradients, double[][] inputGradients)
    {
        Weights = weights;
        Inputs = inputs;
        Values = values;
        WeightGradients = weightGradients;
        InputGradients = inputGradients;
    }

    /// <summary>The weights, in the order of <see cref="WeightGradients"/>.</summary>
    public IReadOnlyList<Parameter> Weights { get; }

    /// <summary>The inputs, in the order of the last index of <see cref="InputGradients"/>.</summary>
    public IReadOnlyList<Parameter> Inputs { get; }

    /// <summary>Expectation values, [sample][observable].</summary>
    public double[][] Values { get; }

    /// <summary><c>∂L/∂w = Σ_b Σ_k g[b][k] ∂⟨O_k⟩_b/∂w</c>, one per weight (summed over the batch).</summary>
    public double[] WeightGradients { get; }

    /// <summary><c>∂L/∂x_b = Σ_k g[b][k] ∂⟨O_k⟩_b/∂x_b</c>, [sample][input].</summary>
    public double[][] InputGradients { get; }
}
