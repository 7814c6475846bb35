using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// An affine map of the last dimension: <c>y = x·Wᵀ + b</c> with W of shape (out, in) and b of shape (out).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Accepts any input of rank ≥ 1 whose last dimension is <see cref="InFeatures"/>; the leading dimensions are kept,
/// e.g. (batch, tokens, in) → (batch, tokens, out). Weight and bias start as U(−1/√in, 1/√in) draws, as in PyTorch's
/// default, the weight first (row-major) and then the bias. Parameters: <c>weight</c> (decayed), <c>bias</c> (not
/// decayed).
/// </remarks>
public sealed class Linear<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Tensor<T>? _input;

    /// <summary>Creates the layer with seeded PyTorch-default initialisation.</summary>
    /// <param name="inFeatures">The input width (≥ 1).</param>
    /// <param name="outFeatures">The output width (≥ 1).</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <param name="bias">Whether the layer has a bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is below 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public Linear(int inFeatures, int outFeatures, Random random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        ArgumentNullException.ThrowIfNull(random);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Init<T>.Uniform(random, bound, outFeatures, inFeatures));
        Bias = bias ? RegisterParameter("bias", Init<T>.Uniform(random, bound, outFeatures), weightDecay: false) : null;
    }

    /// <summary>The input width.</summary>
    public int InFeatures { get; }

    /// <summary>The output width.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, shape (out, in).</summary>
    public TrainableParameter<T> Weight { get; }

    /// <summary>The bias, shape (out), or null for a layer without bias.</summary>
    public TrainableParameter<T>? Bias { get; }

    /// <summary>The layer and its widths.</summary>
    /// <returns>E.g. <c>Linear(4→8)</c>.</returns>
    public override string ToString() => $"Linear({InFeatures}→{OutFeatures})";

    /// <inheritdoc />
    protected override void ValidateInput(Tensor<T> input)
    {
        if (input.Rank < 1 || input.Shape[^1] != InFeatures)
        {
            throw ShapeText.Mismatch(ToString(), "input", $"(…, {InFeatures})", input.Shape, nameof(input));
        }
    }

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        int rows = input.Length / InFeatures;
        _input = input;
        int[] shape = input.Shape.ToArray();
        shape[^1] = OutFeatures;
        Tensor<T> output = Tensor<T>.Zeros(shape);
        Linalg<T>.MultiplyTransposed(input.Data, Weight.Value.Data, output.Data, rows, OutFeatures, InFeatures, accumulate: false);
        if (Bias is not null)
        {
            ReadOnlySpan<T> bias = Bias.Value.Data;
            for (int r = 0; r < rows; r++)
            {
                Span<T> row = output.Data.AsSpan(r * OutFeatures, OutFeatures);
                TP.Add(row, bias, row);
            }
        }
        return output;
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> input = _input!;
        int rows = input.Length / InFeatures;
        int n = InFeatures, m = OutFeatures;

        // dx = dy·W: dx[r, i] = Σ_o dy[r, o] · Wᵀ[i, o].
        var weightT = new T[n * m];
        Linalg<T>.Transpose(Weight.Value.Data, m, n, weightT);
        Tensor<T> gradInput = Tensor<T>.Zeros(input.Shape);
        Linalg<T>.MultiplyTransposed(gradOutput.Data, weightT, gradInput.Data, rows, n, m, accumulate: false);

        // dW += dyᵀ·x: dW[o, i] += Σ_r dyᵀ[o, r] · xᵀ[i, r] (long dot products over the rows).
        var gradOutputT = new T[m * rows];
        var inputT = new T[n * rows];
        Linalg<T>.Transpose(gradOutput.Data, rows, m, gradOutputT);
        Linalg<T>.Transpose(input.Data, rows, n, inputT);
        Linalg<T>.MultiplyTransposed(gradOutputT, inputT, Weight.Grad.Data, m, n, rows, accumulate: true);

        if (Bias is not null)
        {
            Linalg<T>.AddRowSums(gradOutput.Data, rows, m, Bias.Grad.Data);
        }
        return gradInput;
    }
}
