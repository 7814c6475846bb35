using System.Globalization;
using QSim.Kernels;

namespace QSim.Attention.Training;

/// <summary>Describes a (Q)ViT classifier: builds it and estimates its cost.</summary>
/// <remarks>
/// <para>A <see cref="ModelKind.VisionTransformer"/> is <c>new VisionTransformer&lt;float&gt;(Vit)</c>. A
/// <see cref="ModelKind.QuantumVisionTransformer"/> is the same transformer whose attention is a
/// <see cref="QuantumSelfAttention{T}"/>(dim, heads, <see cref="Attention"/>, <see cref="Quantum"/>) on
/// <c>Vit.Dim</c> qubits (so the model width is the qubit count, at most 12) and whose MLP follows
/// <see cref="Mlp"/>.</para>
/// <para>All weights come from <c>Vit.Seed</c>, so equal specifications build equal models.</para>
/// </remarks>
public sealed record ModelSpec
{
    /// <summary>The model family. Default <see cref="ModelKind.VisionTransformer"/>.</summary>
    public ModelKind Kind { get; init; } = ModelKind.VisionTransformer;

    /// <summary>The transformer's hyperparameters (for a QViT, <c>Dim</c> is the qubit count).</summary>
    public VisionTransformerOptions Vit { get; init; } = new();

    /// <summary>QViT only: the circuit of every quantum layer. Default: RY encoding, one layer, CNOT ring.</summary>
    public QuantumLinearOptions Quantum { get; init; } = new();

    /// <summary>QViT only: the quantum attention variant. Default <see cref="QuantumAttentionVariant.Projection"/>.</summary>
    public QuantumAttentionVariant Attention { get; init; } = QuantumAttentionVariant.Projection;

    /// <summary>QViT only: whether the attention ends with a quantum output projection. Default true.</summary>
    public bool OutputProjection { get; init; } = true;

    /// <summary>QViT only: the MLP of each block. Default <see cref="QuantumMlpStyle.QuantumLinear"/>.</summary>
    public QuantumMlpStyle Mlp { get; init; } = QuantumMlpStyle.QuantumLinear;

    /// <summary><c>ViT</c>, or <c>QViT-</c> followed by the qubit count.</summary>
    public string ShortName => Kind == ModelKind.QuantumVisionTransformer ? $"QViT-{Vit.Dim}" : "ViT";

    /// <summary>Builds the model with fresh weights from <c>Vit.Seed</c>.</summary>
    /// <param name="accelerator">Where quantum layers simulate their circuits; null for the process-wide CPU.
    /// Classical layers always run on the CPU.</param>
    /// <returns>A new model in training mode.</returns>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent (for a QViT also: dim or the
    /// bottleneck width outside 1…12 qubits).</exception>
    public Module<float> Build(Accelerator? accelerator = null)
    {
        Validate();
        if (Kind == ModelKind.VisionTransformer) return new VisionTransformer<float>(Vit);

        QuantumLinearOptions quantum = Quantum;
        QuantumAttentionVariant variant = Attention;
        bool output = OutputProjection;
        Func<int, int, Random, Module<float>>? mlp = Mlp switch
        {
            QuantumMlpStyle.QuantumLinear => (d, _, r) => new Mlp<float>(new QuantumLinear<float>(d, quantum, r, accelerator), null),
            QuantumMlpStyle.Bottleneck => (d, hidden, r) => new Mlp<float>(
                new Sequential<float>(new Linear<float>(d, hidden, r), new QuantumLinear<float>(hidden, quantum, r, accelerator)),
                new Linear<float>(hidden, d, r)),
            _ => null,
        };
        return new VisionTransformer<float>(
            Vit, (d, h, r) => new QuantumSelfAttention<float>(d, h, variant, quantum, r, output, accelerator), mlp);
    }

    /// <summary>Estimates the work of one forward pass of one image, from the options alone.</summary>
    /// <returns>Classical multiply-adds and, for a QViT, simulated circuits and amplitude operations (see
    /// <see cref="CostEstimate"/>).</returns>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent.</exception>
    /// <remarks>A quantum circuit on n qubits with g gates and K measured ⟨Z⟩ counts (g + K)·2ⁿ amplitude operations:
    /// g = n encodings (+ n H with <c>HadamardFirst</c>, + (L − 1)·n with <c>Reuploading</c>) + L·n trainable
    /// rotations + L entanglers (ring n CNOTs, chain n − 1, all-to-all n(n − 1)/2; none for one qubit).</remarks>
    public CostEstimate EstimateCost()
    {
        Validate();
        VisionTransformerOptions o = Vit;
        long d = o.Dim, hidden = o.MlpHidden;
        long patches = (long)(o.ImageSize / o.PatchSize) * (o.ImageSize / o.PatchSize);
        long n = patches + (o.Pooling == ViTPooling.ClassToken ? 1 : 0);
        long macs = patches * o.Channels * o.PatchSize * o.PatchSize * d + d * o.Classes;
        if (Kind == ModelKind.VisionTransformer)
        {
            macs += o.Depth * (4 * n * d * d + 2 * n * n * d + 2 * n * d * hidden);
            return new CostEstimate(macs, 0, 0, 0);
        }

        long circuits = 0, amplitudeOps = 0;
        int qubits = o.Dim;
        void Circuits(long count, int width, int measured)
        {
            circuits += count;
            amplitudeOps += count * (Gates(width, Quantum) + measured) * (1L << width);
        }

        for (int block = 0; block < o.Depth; block++)
        {
            int projections = OutputProjection ? 4 : 3;
            if (Attention == QuantumAttentionVariant.Projection)
            {
                Circuits(projections * n, o.Dim, o.Dim);
                macs += 2 * n * n * d;
            }
            else
            {
                Circuits(2L * o.Heads * n, o.Dim, 1);
                Circuits((projections - 2) * n, o.Dim, o.Dim);
                macs += n * n * o.Heads + n * n * d;
            }
            switch (Mlp)
            {
                case QuantumMlpStyle.QuantumLinear:
                    Circuits(n, o.Dim, o.Dim);
                    break;
                case QuantumMlpStyle.Bottleneck:
                    Circuits(n, o.MlpHidden, o.MlpHidden);
                    macs += 2 * n * d * hidden;
                    qubits = Math.Max(qubits, o.MlpHidden);
                    break;
                default:
                    macs += 2 * n * d * hidden;
                    break;
            }
        }
        return new CostEstimate(macs, amplitudeOps, circuits, qubits);
    }

    /// <summary>A short label: <c>ViT</c> or <c>QViT-n</c> with the main sizes.</summary>
    /// <returns>E.g. <c>ViT (dim 8, 2 heads, depth 1, patch 7, MLP 8)</c> or
    /// <c>QViT-4 (dim 4, 2 heads, depth 1, patch 7, MLP quantum; Projection attention, RY, 1 layer(s), Ring)</c>.</returns>
    public override string ToString()
    {
        string mlp = Kind == ModelKind.VisionTransformer || Mlp == QuantumMlpStyle.Classical
            ? Vit.MlpHidden.ToString(CultureInfo.InvariantCulture)
            : Mlp == QuantumMlpStyle.QuantumLinear ? "quantum" : $"{Vit.MlpHidden} quantum bottleneck";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{ShortName} (dim {Vit.Dim}, {Vit.Heads} heads, depth {Vit.Depth}, patch {Vit.PatchSize}, MLP {mlp}");
        if (Kind == ModelKind.QuantumVisionTransformer)
        {
            text += string.Create(CultureInfo.InvariantCulture,
                $"; {Attention} attention{(OutputProjection ? "" : " without output projection")}, {Quantum.Encoding}{(Quantum.HadamardFirst ? " after H" : "")}, {Quantum.Layers} layer(s){(Quantum.Reuploading ? " re-uploading" : "")}, {Quantum.Entangler}");
        }
        return text + ")";
    }

    internal static long Gates(int n, QuantumLinearOptions options)
    {
        long entangler = n < 2 ? 0 : options.Entangler switch
        {
            QuantumEntangler.Ring => n,
            QuantumEntangler.Chain => n - 1,
            _ => (long)n * (n - 1) / 2,
        };
        long gates = n + (long)options.Layers * n + options.Layers * entangler;
        if (options.HadamardFirst) gates += n;
        if (options.Reuploading) gates += (long)(options.Layers - 1) * n;
        return gates;
    }

    private void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"ModelSpec.Kind {(int)Kind} is not a ModelKind value", nameof(Kind));
        if (Vit is null) throw new ArgumentException("ModelSpec.Vit is null; expected the transformer options", nameof(Vit));
        Vit.Validate();
        if (Kind == ModelKind.VisionTransformer) return;
        if (Quantum is null) throw new ArgumentException("ModelSpec.Quantum is null; expected the circuit options", nameof(Quantum));
        if (Quantum.Layers < 1) throw new ArgumentException($"ModelSpec.Quantum.Layers is {Quantum.Layers}; expected at least 1", nameof(Quantum));
        if (!Enum.IsDefined(Attention)) throw new ArgumentException($"ModelSpec.Attention {(int)Attention} is not a QuantumAttentionVariant value", nameof(Attention));
        if (!Enum.IsDefined(Mlp)) throw new ArgumentException($"ModelSpec.Mlp {(int)Mlp} is not a QuantumMlpStyle value", nameof(Mlp));
        if (Vit.Dim > QuantumDefaults.MaxQubits)
        {
            throw new ArgumentException($"a QViT's width is its qubit count: Vit.Dim {Vit.Dim} exceeds the {QuantumDefaults.MaxQubits} qubits a quantum layer simulates", nameof(Vit));
        }
        if (Mlp == QuantumMlpStyle.Bottleneck && Vit.MlpHidden > QuantumDefaults.MaxQubits)
        {
            throw new ArgumentException($"the quantum bottleneck runs MlpHidden qubits: {Vit.MlpHidden} exceeds {QuantumDefaults.MaxQubits}", nameof(Vit));
        }
    }
}
