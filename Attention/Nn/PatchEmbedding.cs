using System.Numerics;

namespace QSim.Attention;

/// <summary>
/// Cuts square images into non-overlapping p×p patches and maps each flattened patch linearly to a token:
/// (batch, channels, size, size) → (batch, (size/p)², dim), like a convolution with kernel = stride = p.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// Tokens run over the patch grid row by row (token <c>gy·(size/p) + gx</c> covers rows <c>gy·p…gy·p+p−1</c> and
/// columns <c>gx·p…gx·p+p−1</c>). A patch is flattened channel-major, <c>c·p² + py·p + px</c>, the layout of a
/// convolution kernel (dim, channels, p, p). Parameters: <c>proj.weight</c> (dim, channels·p²) and <c>proj.bias</c>
/// (dim) of the inner <see cref="Linear{T}"/>.
/// </remarks>
public sealed class PatchEmbedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T> _projection;
    private int _batch;

    /// <summary>Creates the layer.</summary>
    /// <param name="channels">Image channels (≥ 1).</param>
    /// <param name="imageSize">Image height and width (≥ 1, a multiple of <paramref name="patchSize"/>).</param>
    /// <param name="patchSize">Patch height and width p (≥ 1).</param>
    /// <param name="dim">Token width (≥ 1).</param>
    /// <param name="random">The source of the projection's initial weights.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    /// <exception cref="ArgumentException">The image size is not a multiple of the patch size.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public PatchEmbedding(int channels, int imageSize, int patchSize, int dim, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        ArgumentNullException.ThrowIfNull(random);
        if (imageSize % patchSize != 0)
        {
            throw new ArgumentException($"the image size {imageSize} is not a multiple of the patch size {patchSize}", nameof(patchSize));
        }
        Channels = channels;
        ImageSize = imageSize;
        PatchSize = patchSize;
        Dim = dim;
        _projection = RegisterModule("proj", new Linear<T>(channels * patchSize * patchSize, dim, random));
    }

    /// <summary>Image channels.</summary>
    public int Channels { get; }

    /// <summary>Image height and width.</summary>
    public int ImageSize { get; }

    /// <summary>Patch height and width.</summary>
    public int PatchSize { get; }

    /// <summary>Token width.</summary>
    public int Dim { get; }

    /// <summary>Tokens per image, (imageSize / patchSize)².</summary>
    public int Tokens => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>The layer and its configuration.</summary>
    /// <returns>E.g. <c>PatchEmbedding(1×8×8, patch 4 → 4 tokens × 16)</c>.</returns>
    public override string ToString() => $"PatchEmbedding({Channels}×{ImageSize}×{ImageSize}, patch {PatchSize} → {Tokens} tokens × {Dim})";

    /// <inheritdoc />
    protected override void ValidateInput(Tensor<T> input)
    {
        if (input.Rank != 4 || input.Shape[1] != Channels || input.Shape[2] != ImageSize || input.Shape[3] != ImageSize)
        {
            throw ShapeText.Mismatch(ToString(), "input", $"(batch, {Channels}, {ImageSize}, {ImageSize})", input.Shape, nameof(input));
        }
    }

    /// <inheritdoc />
    protected override Tensor<T> ForwardCore(Tensor<T> input)
    {
        _batch = input.Shape[0];
        Tensor<T> patches = Tensor<T>.Zeros(_batch, Tokens, Channels * PatchSize * PatchSize);
        Shuffle(input.Data, patches.Data, toPatches: true);
        return _projection.Forward(patches);
    }

    /// <inheritdoc />
    protected override Tensor<T> BackwardCore(Tensor<T> gradOutput)
    {
        Tensor<T> gradPatches = _projection.Backward(gradOutput);
        Tensor<T> gradInput = Tensor<T>.Zeros(_batch, Channels, ImageSize, ImageSize);
        Shuffle(gradInput.Data, gradPatches.Data, toPatches: false);
        return gradInput;
    }

    /// <summary>Copies rows of pixels between image layout and patch layout, in either direction.</summary>
    private void Shuffle(T[] images, T[] patches, bool toPatches)
    {
        int p = PatchSize, grid = ImageSize / PatchSize, size = ImageSize;
        int patchLength = Channels * p * p;
        for (int b = 0; b < _batch; b++)
        {
            for (int gy = 0; gy < grid; gy++)
            {
                for (int gx = 0; gx < grid; gx++)
                {
                    int patchBase = ((b * grid + gy) * grid + gx) * patchLength;
                    for (int c = 0; c < Channels; c++)
                    {
                        for (int py = 0; py < p; py++)
                        {
                            int imageIndex = ((b * Channels + c) * size + gy * p + py) * size + gx * p;
                            int patchIndex = patchBase + (c * p + py) * p;
                            if (toPatches)
                            {
                                Array.Copy(images, imageIndex, patches, patchIndex, p);
                            }
                            else
                            {
                                Array.Copy(patches, patchIndex, images, imageIndex, p);
                            }
                        }
                    }
                }
            }
        }
    }
}
