namespace QSim.Attention;

/// <summary>The hyperparameters of a <see cref="VisionTransformer{T}"/>.</summary>
/// <remarks>Images are square, <see cref="ImageSize"/> × <see cref="ImageSize"/> with <see cref="Channels"/> channels,
/// cut into (ImageSize / PatchSize)² patch tokens. The defaults describe a tiny model for 8×8 grey images.</remarks>
public sealed class VisionTransformerOptions
{
    /// <summary>Image height and width (a multiple of <see cref="PatchSize"/>). Default 8.</summary>
    public int ImageSize { get; init; } = 8;

    /// <summary>Image channels. Default 1.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Patch height and width. Default 4.</summary>
    public int PatchSize { get; init; } = 4;

    /// <summary>Token width (a multiple of <see cref="Heads"/>). Default 16.</summary>
    public int Dim { get; init; } = 16;

    /// <summary>Attention heads. Default 2.</summary>
    public int Heads { get; init; } = 2;

    /// <summary>Transformer blocks (≥ 0). Default 2.</summary>
    public int Depth { get; init; } = 2;

    /// <summary>Hidden width of each MLP. Default 32.</summary>
    public int MlpHidden { get; init; } = 32;

    /// <summary>Output classes (≥ 1). Default 2.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Class-token or mean pooling. Default <see cref="ViTPooling.ClassToken"/>.</summary>
    public ViTPooling Pooling { get; init; } = ViTPooling.ClassToken;

    /// <summary>Dropout probability after the embeddings and inside each MLP, in [0, 1). Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>Seed of the initial weights and of the dropout masks. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Checks every option, naming the first bad one.</summary>
    /// <exception cref="ArgumentException">An option is out of range or inconsistent.</exception>
    internal void Validate()
    {
        static void AtLeast(int value, int minimum, string name)
        {
            if (value < minimum)
            {
                throw new ArgumentException($"VisionTransformerOptions.{name} is {value}; expected at least {minimum}", name);
            }
        }

        AtLeast(ImageSize, 1, nameof(ImageSize));
        AtLeast(Channels, 1, nameof(Channels));
        AtLeast(PatchSize, 1, nameof(PatchSize));
        AtLeast(Dim, 1, nameof(Dim));
        AtLeast(Heads, 1, nameof(Heads));
        AtLeast(Depth, 0, nameof(Depth));
        AtLeast(MlpHidden, 1, nameof(MlpHidden));
        AtLeast(Classes, 1, nameof(Classes));
        if (ImageSize % PatchSize != 0)
        {
            throw new ArgumentException($"VisionTransformerOptions.ImageSize {ImageSize} is not a multiple of PatchSize {PatchSize}", nameof(ImageSize));
        }
        if (Dim % Heads != 0)
        {
            throw new ArgumentException($"VisionTransformerOptions.Dim {Dim} is not a multiple of Heads {Heads}", nameof(Dim));
        }
        if (!Enum.IsDefined(Pooling))
        {
            throw new ArgumentException($"VisionTransformerOptions.Pooling {(int)Pooling} is not a ViTPooling value", nameof(Pooling));
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentException($"VisionTransformerOptions.Dropout {Dropout} is outside [0, 1)", nameof(Dropout));
        }
    }
}
