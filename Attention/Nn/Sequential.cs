using System.Numerics;

namespace QSim.Attention;

/// <summary>A chain of modules applied in order; backward runs them in reverse.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>Submodule i is registered as <c>i</c>, so parameters are named <c>0.weight</c>, <c>1.bias</c>, ….
/// The shapes are checked by the modules themselves.</remarks>
public sealed class Sequential<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Module<T>[] _modules;

    /// <summary>Creates the chain.</summary>
    /// <param name="modules">At least one module, each instance once.</param>
    /// <exception cref="ArgumentNullException">The array or an element is null.</exception>
    /// <exception cref="ArgumentException">The chain is empty or lists an instance twice.</exception>
    public Sequential(params Module<T>[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Length == 0)
        {
            throw new ArgumentException("a Sequential needs at least one module", nameof(modules));
        }
        _modules = (Module<T>[])modules.Clone();
        for (int i = 0; i < _modules.Length; i++)
        {
            if (_modules[i] is null)
            {
                throw new ArgumentNullException(nameof(modules), $"module {i} is null");
            }
            RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _modules[i]);
        }
    }

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Length;

    /// <summary>The module at a position.</summary>
    /// <param name="index">0 … <see cref="Count"/> − 1.</param>
    /// <returns>The module.</returns>
    /// <exception cref="IndexOutOfRangeException">The index is out of range.</exception>
    public Module<T> this[int index] => _modules[index];

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        Tensor<T> x = input;
        foreach (Module<T> module in _modules)
        {
            x = module.Forward(x);
        }
        return x;
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> grad = gradOutput;
        for (int i = _modules.Length - 1; i >= 0; i--)
        {
            grad = _modules[i].Backward(grad);
        }
        return grad;
    }
}
