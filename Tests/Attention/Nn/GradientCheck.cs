using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>
/// Compares analytic gradients with central finite differences in double precision, for modules (input and every
/// parameter), for functions of several tensors and for losses.
/// </summary>
/// <remarks>
/// A module is reduced to the scalar <c>L = Σ G ⊙ Forward(x)</c> with a fixed random upstream gradient G, so
/// <c>Backward(G)</c> must return ∂L/∂x and accumulate ∂L/∂θ. Each element is perturbed by ±<see cref="Step"/> and
/// <c>(L(+h) − L(−h)) / 2h</c> is accepted when it is within
/// <c><see cref="AbsoluteTolerance"/> + <see cref="RelativeTolerance"/> · max(|analytic|, |numeric|)</c>.
/// With h = 1e-6 the truncation error is O(h²) ≈ 1e-12 and the rounding error about 1e-16 · |L| / h ≈ 1e-10.
/// </remarks>
public static class GradientCheck
{
    /// <summary>The finite-difference step h.</summary>
    public const double Step = 1e-6;

    /// <summary>Relative part of the accepted error.</summary>
    public const double RelativeTolerance = 1e-6;

    /// <summary>Absolute part of the accepted error (covers the rounding noise of near-zero gradients).</summary>
    public const double AbsoluteTolerance = 1e-8;

    /// <summary>One disagreement between an analytic and a numeric derivative.</summary>
    /// <param name="What">The tensor ("input" or a parameter's dotted name).</param>
    /// <param name="Index">The flat index of the element.</param>
    /// <param name="Analytic">The back-propagated derivative.</param>
    /// <param name="Numeric">The central difference.</param>
    public sealed record Mismatch(string What, int Index, double Analytic, double Numeric)
    {
        /// <inheritdoc />
        public override string ToString() => $"{What}[{Index}]: analytic {Analytic:R} vs numeric {Numeric:R}";
    }

    /// <summary>A tensor of independent U(−1, 1) draws.</summary>
    public static Tensor<double> RandomTensor(Random random, params int[] shape)
    {
        Tensor<double> tensor = Tensor<double>.Zeros(shape);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor.Data[i] = 2 * random.NextDouble() - 1;
        }
        return tensor;
    }

    /// <summary>Finds every input and parameter gradient of a module that disagrees with finite differences.</summary>
    /// <param name="module">The module (deterministic forward pass).</param>
    /// <param name="input">The input (its data is perturbed and restored).</param>
    /// <param name="seed">Seed of the upstream gradient.</param>
    /// <returns>The mismatches (empty when the gradients are right).</returns>
    public static IReadOnlyList<Mismatch> FindModuleMismatches(Module<double> module, Tensor<double> input, int seed = 12345)
    {
        Tensor<double> output = module.Forward(input);
        Tensor<double> upstream = RandomTensor(new Random(seed), output.Shape.ToArray());
        module.ZeroGrad();
        double[] gradInput = module.Backward(upstream).Data;
        Assert.That(gradInput, Has.Length.EqualTo(input.Length), "the input gradient must have the input's shape");

        double Loss() => Dot(module.Forward(input).Data, upstream.Data);

        var mismatches = new List<Mismatch>();
        Compare("input", input.Data, gradInput, Loss, mismatches);
        foreach ((string name, TrainableParameter<double> parameter) in module.NamedParameters().ToList())
        {
            Compare(name, parameter.Value.Data, (double[])parameter.Grad.Data.Clone(), Loss, mismatches);
        }
        return mismatches;
    }

    /// <summary>Asserts that every input and parameter gradient of a module matches finite differences.</summary>
    /// <param name="module">The module.</param>
    /// <param name="input">The input.</param>
    /// <param name="seed">Seed of the upstream gradient.</param>
    public static void AssertModule(Module<double> module, Tensor<double> input, int seed = 12345) =>
        AssertNone(FindModuleMismatches(module, input, seed), module.ToString() ?? "module");

    /// <summary>Asserts that the gradients of a scalar function of several tensors match finite differences.</summary>
    /// <param name="what">A description for messages.</param>
    /// <param name="loss">The function (reads the tensors' current data).</param>
    /// <param name="inputs">The tensors, with names, and the analytic gradients of <paramref name="loss"/>.</param>
    public static void AssertFunction(string what, Func<double> loss, params (string Name, Tensor<double> Value, Tensor<double> Gradient)[] inputs)
    {
        var mismatches = new List<Mismatch>();
        foreach ((string name, Tensor<double> value, Tensor<double> gradient) in inputs)
        {
            Assert.That(gradient.Shape.ToArray(), Is.EqualTo(value.Shape.ToArray()), $"{what}: gradient of {name} has the wrong shape");
            Compare(name, value.Data, gradient.Data, loss, mismatches);
        }
        AssertNone(mismatches, what);
    }

    /// <summary>Σ a_i b_i.</summary>
    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void AssertNone(IReadOnlyList<Mismatch> mismatches, string what) =>
        Assert.That(mismatches, Is.Empty,
            $"{what}: {mismatches.Count} gradient element(s) disagree with finite differences, e.g. " +
            string.Join("; ", mismatches.Take(5)));

    private static void Compare(string what, double[] x, double[] analytic, Func<double> loss, List<Mismatch> mismatches)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + Step;
            double plus = loss();
            x[i] = saved - Step;
            double minus = loss();
            x[i] = saved;
            double numeric = (plus - minus) / (2 * Step);
            double error = Math.Abs(numeric - analytic[i]);
            if (!(error <= AbsoluteTolerance + RelativeTolerance * Math.Max(Math.Abs(numeric), Math.Abs(analytic[i]))))
            {
                mismatches.Add(new Mismatch(what, i, analytic[i], numeric));
            }
        }
    }
}
