using System.Numerics;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace QSim.Attention;

/// <summary>
/// A differentiable layer with registered parameters and submodules: the base of every layer of
/// <c>QSim.Attention</c> and the contract a custom (for example quantum) layer implements.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// <para><see cref="Forward"/> checks the input (null, the shape the layer accepts, NaN/∞), then calls
/// <see cref="ForwardCore"/>, which computes the output and caches what the backward pass needs.
/// <see cref="Backward"/> checks that a forward pass happened and that the output gradient has the output's shape,
/// then calls <see cref="BackwardCore"/>, which adds (<c>+=</c>) the parameter gradients into
/// <see cref="TrainableParameter{T}.Grad"/> and returns the gradient with respect to the last input.</para>
/// <para>Only the last forward pass is remembered, so a module instance must appear once in a model; to share
/// weights, share a <see cref="TrainableParameter{T}"/>'s tensor instead.</para>
/// <para>A derived class registers its parameters and submodules in its constructor with
/// <see cref="RegisterParameter"/> and <see cref="RegisterModule{TModule}"/>; <see cref="NamedParameters"/>,
/// <see cref="ZeroGrad"/>, <see cref="Train"/> and <see cref="Eval"/> then cover the whole tree. A new module is in
/// training mode.</para>
/// </remarks>
public abstract class Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<TrainableParameter<T>> _parameters = [];
    private readonly List<(string Name, Module<T> Module)> _modules = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int[]? _lastOutputShape;

    /// <summary>Whether the module is in training mode (dropout active) rather than evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The number of trainable scalars in this module and its submodules.</summary>
    public int ParameterCount => NamedParameters().Sum(p => p.Parameter.Value.Length);

    /// <summary>Computes the output for an input and remembers what <see cref="Backward"/> needs.</summary>
    /// <param name="input">The input; its accepted shape is documented by each layer.</param>
    /// <returns>The output (a new tensor).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">The input has a shape the layer does not accept, or holds NaN or ∞; the
    /// message names the layer, the expected and the actual shape or the first bad element.</exception>
    public Tensor<T> Forward(Tensor<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _lastOutputShape = null;
        ValidateInput(input);
        RequireFinite(input, ToString(), nameof(input));
        Tensor<T> output = ForwardCore(input);
        _lastOutputShape = output.Shape.ToArray();
        return output;
    }

    /// <summary>
    /// Back-propagates through the last <see cref="Forward"/> pass: adds the parameter gradients into
    /// <see cref="TrainableParameter{T}.Grad"/> and returns the gradient with respect to that pass's input.
    /// </summary>
    /// <param name="gradOutput">The gradient of the loss with respect to the last output (same shape).</param>
    /// <returns>The gradient with respect to the last input (same shape as that input).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gradOutput"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No successful <see cref="Forward"/> preceded this call.</exception>
    /// <exception cref="ArgumentException">The gradient's shape is not the last output's.</exception>
    public Tensor<T> Backward(Tensor<T> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (_lastOutputShape is null)
        {
            throw new InvalidOperationException($"{this}: Backward needs a successful Forward first (it uses the activations Forward caches)");
        }
        if (!gradOutput.HasShape(_lastOutputShape))
        {
            throw ShapeText.Mismatch(ToString(), "gradOutput (the last output's shape)", ShapeText.Format(_lastOutputShape), gradOutput.Shape, nameof(gradOutput));
        }
        return BackwardCore(gradOutput);
    }

    /// <summary>Every parameter of this module and its submodules with its dotted path, e.g. <c>blocks.0.attn.q.weight</c>.</summary>
    /// <returns>Own parameters first (in registration order), then each submodule's in registration order.</returns>
    public IEnumerable<(string Name, TrainableParameter<T> Parameter)> NamedParameters()
    {
        foreach (TrainableParameter<T> parameter in _parameters)
        {
            yield return (parameter.Name, parameter);
        }
        foreach ((string name, Module<T> module) in _modules)
        {
            foreach ((string childName, TrainableParameter<T> parameter) in module.NamedParameters())
            {
                yield return (name + "." + childName, parameter);
            }
        }
    }

    /// <summary>Every parameter of this module and its submodules, in the order of <see cref="NamedParameters"/>.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<TrainableParameter<T>> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Sets every parameter gradient of the tree to zero.</summary>
    public void ZeroGrad()
    {
        foreach (TrainableParameter<T> parameter in Parameters())
        {
            parameter.ZeroGrad();
        }
    }

    /// <summary>Puts this module and its submodules in training mode.</summary>
    public void Train() => SetTraining(true);

    /// <summary>Puts this module and its submodules in evaluation mode (dropout becomes the identity).</summary>
    public void Eval() => SetTraining(false);

    /// <summary>The layer's name and configuration, used in error messages.</summary>
    /// <returns>By default the type name without generic arity, e.g. <c>Sequential</c>.</returns>
    public override string ToString() => ShapeText.TypeName(GetType());

    /// <summary>Checks the input's shape; called by <see cref="Forward"/> after the null check, before the NaN check.</summary>
    /// <param name="input">The input (not null).</param>
    /// <exception cref="ArgumentException">The shape is not accepted; the message should name this layer, the expected and the actual shape.</exception>
    protected virtual void ValidateInput(Tensor<T> input)
    {
    }

    /// <summary>Computes the output of a validated input and caches what <see cref="BackwardCore"/> needs.</summary>
    /// <param name="input">The input (validated).</param>
    /// <returns>A new output tensor.</returns>
    protected abstract Tensor<T> ForwardCore(Tensor<T> input);

    /// <summary>Adds the parameter gradients and returns the input gradient of the last forward pass.</summary>
    /// <param name="gradOutput">The output gradient (its shape checked against the last output).</param>
    /// <returns>The input gradient.</returns>
    protected abstract Tensor<T> BackwardCore(Tensor<T> gradOutput);

    /// <summary>Registers a trainable parameter of this module.</summary>
    /// <param name="name">A local name, unique among this module's parameters and submodules, without dots.</param>
    /// <param name="value">The initial value (held, not copied).</param>
    /// <param name="weightDecay">Whether decoupled weight decay applies (false for biases, norms and embeddings).</param>
    /// <returns>The parameter.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The name is empty, contains a dot or is already used in this module.</exception>
    protected TrainableParameter<T> RegisterParameter(string name, Tensor<T> value, bool weightDecay = true)
    {
        var parameter = new TrainableParameter<T>(name, value, weightDecay);
        ClaimName(name);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Registers a submodule, whose parameters then appear under <c>name.</c> and which follows
    /// <see cref="Train"/>, <see cref="Eval"/> and <see cref="ZeroGrad"/>.</summary>
    /// <typeparam name="TModule">The submodule's type.</typeparam>
    /// <param name="name">A local name, unique among this module's parameters and submodules, without dots.</param>
    /// <param name="module">The submodule (not this module).</param>
    /// <returns><paramref name="module"/>.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The name is empty, contains a dot or is already used, or the module is
    /// this module or is already registered here.</exception>
    protected TModule RegisterModule<TModule>(string name, TModule module) where TModule : Module<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(module);
        TrainableParameter<T>.CheckName(name, nameof(name));
        if (ReferenceEquals(module, this))
        {
            throw new ArgumentException($"{this}: a module cannot be its own submodule", nameof(module));
        }
        foreach ((string existing, Module<T> registered) in _modules)
        {
            if (ReferenceEquals(registered, module))
            {
                throw new ArgumentException(
                    $"{this}: module {module} is already registered as '{existing}'; a module caches one forward pass, so each use needs its own instance",
                    nameof(module));
            }
        }
        ClaimName(name);
        _modules.Add((name, module));
        return module;
    }

    /// <summary>Throws if a tensor holds NaN or ∞, naming the owner and the first bad element.</summary>
    internal static void RequireFinite(Tensor<T> tensor, string owner, string paramName)
    {
        if (TP.IsFiniteAll<T>(tensor.Data))
        {
            return;
        }
        T[] data = tensor.Data;
        int index = 0;
        while (T.IsFinite(data[index]))
        {
            index++;
        }
        throw new ArgumentException(
            $"{owner}: {paramName} of shape {ShapeText.Format(tensor.Shape)} holds {data[index]} at flat index {index}; expected finite values",
            paramName);
    }

    private void ClaimName(string name)
    {
        if (!_names.Add(name))
        {
            throw new ArgumentException($"{this}: the name '{name}' is already registered in this module", nameof(name));
        }
    }

    private void SetTraining(bool training)
    {
        IsTraining = training;
        foreach ((_, Module<T> module) in _modules)
        {
            module.SetTraining(training);
        }
    }
}
