using System.Numerics;

namespace QSim.Attention;

/// <summary>
/// A dense, contiguous, row-major tensor: a shape and a flat array of <see cref="Length"/> elements.
/// </summary>
/// <typeparam name="T">The element type (<see cref="float"/> for training, <see cref="double"/> for gradient checks).</typeparam>
/// <remarks>
/// <para>Element <c>(i₀, …, i_{r−1})</c> lives at flat index <c>((i₀·d₁ + i₁)·d₂ + …)·d_{r−1} + i_{r−1}</c> of
/// <see cref="Data"/>. The array is exactly <see cref="Length"/> long and never reallocated; <see cref="Reshape"/>
/// returns a view that shares it. Dimensions are non-negative; a rank-0 tensor is a scalar of one element.</para>
/// <para>Layers of <c>QSim.Attention</c> take (batch, tokens, dim) activations, images as (batch, channels, height,
/// width) and logits as (batch, classes).</para>
/// </remarks>
public sealed class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _shape;

    private Tensor(T[] data, int[] shape)
    {
        _shape = shape;
        Data = data;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (the product of the dimensions).</summary>
    public int Length => Data.Length;

    /// <summary>The row-major elements; shared with every view made by <see cref="Reshape"/>.</summary>
    public T[] Data { get; }

    /// <summary>Reads or writes one element by its multi-index.</summary>
    /// <param name="indices">One index per dimension.</param>
    /// <returns>The element.</returns>
    /// <exception cref="ArgumentException">The number of indices is not <see cref="Rank"/>.</exception>
    /// <exception cref="IndexOutOfRangeException">An index is outside its dimension.</exception>
    public T this[params ReadOnlySpan<int> indices]
    {
        get => Data[FlatIndex(indices)];
        set => Data[FlatIndex(indices)] = value;
    }

    /// <summary>Creates a tensor of zeros.</summary>
    /// <param name="shape">Non-negative dimensions.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">A dimension is negative, or the element count overflows an <see cref="int"/>.</exception>
    public static Tensor<T> Zeros(params ReadOnlySpan<int> shape)
    {
        int length = CheckedLength(shape, nameof(shape));
        return new Tensor<T>(new T[length], shape.ToArray());
    }

    /// <summary>Creates a tensor holding a copy of <paramref name="data"/>.</summary>
    /// <param name="data">Row-major elements; its length must equal the product of <paramref name="shape"/>.</param>
    /// <param name="shape">Non-negative dimensions.</param>
    /// <returns>The tensor (its own copy of the data).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">A dimension is negative, or the data length does not match the shape.</exception>
    public static Tensor<T> FromArray(T[] data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        int length = CheckedLength(shape, nameof(shape));
        if (length != data.Length)
        {
            throw new ArgumentException(
                $"shape {ShapeText.Format(shape)} holds {length} elements but the data array has {data.Length}", nameof(data));
        }
        return new Tensor<T>((T[])data.Clone(), shape.ToArray());
    }

    /// <summary>
    /// Returns a view with another shape over the same data (writes through either are seen by both).
    /// One dimension may be −1: it is inferred from the others.
    /// </summary>
    /// <param name="shape">The new dimensions; their product must equal <see cref="Length"/>.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentException">The element counts differ, a dimension is below −1, or −1 appears twice or
    /// cannot be inferred.</exception>
    public Tensor<T> Reshape(params ReadOnlySpan<int> shape)
    {
        int[] dims = shape.ToArray();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException($"cannot reshape {ShapeText.Format(_shape)} to {ShapeText.Format(shape)}: only one dimension may be -1", nameof(shape));
                }
                inferred = i;
            }
            else if (dims[i] < 0)
            {
                throw new ArgumentException($"cannot reshape {ShapeText.Format(_shape)} to {ShapeText.Format(shape)}: dimension {i} is negative", nameof(shape));
            }
            else
            {
                known *= dims[i];
            }
        }
        if (inferred >= 0)
        {
            if (known == 0 || Length % known != 0)
            {
                throw new ArgumentException($"cannot reshape {ShapeText.Format(_shape)} ({Length} elements) to {ShapeText.Format(shape)}: the -1 dimension cannot be inferred", nameof(shape));
            }
            dims[inferred] = (int)(Length / known);
            known *= dims[inferred];
        }
        if (known != Length)
        {
            throw new ArgumentException($"cannot reshape {ShapeText.Format(_shape)} ({Length} elements) to {ShapeText.Format(shape)} ({known} elements)", nameof(shape));
        }
        return new Tensor<T>(Data, dims);
    }

    /// <summary>Returns a deep copy (its own data array).</summary>
    /// <returns>The copy.</returns>
    public Tensor<T> Clone() => new((T[])Data.Clone(), (int[])_shape.Clone());

    /// <summary>Whether this tensor has exactly the given shape.</summary>
    /// <param name="shape">The dimensions to compare with.</param>
    /// <returns>True when rank and every dimension agree.</returns>
    public bool HasShape(params ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>The element type and shape, e.g. <c>Tensor&lt;Single&gt;(2, 3, 4)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"Tensor<{typeof(T).Name}>{ShapeText.Format(_shape)}";

    private int FlatIndex(ReadOnlySpan<int> indices)
    {
        if (indices.Length != _shape.Length)
        {
            throw new ArgumentException($"a tensor of shape {ShapeText.Format(_shape)} takes {_shape.Length} indices, not {indices.Length}", nameof(indices));
        }
        int flat = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)_shape[i])
            {
                throw new IndexOutOfRangeException($"index {indices[i]} of dimension {i} is outside 0..{_shape[i] - 1} (shape {ShapeText.Format(_shape)})");
            }
            flat = flat * _shape[i] + indices[i];
        }
        return flat;
    }

    private static int CheckedLength(ReadOnlySpan<int> shape, string paramName)
    {
        long length = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                throw new ArgumentException($"shape {ShapeText.Format(shape)}: dimension {i} is negative", paramName);
            }
            length *= shape[i];
            if (length > Array.MaxLength)
            {
                throw new ArgumentException($"shape {ShapeText.Format(shape)} has more elements than an array can hold", paramName);
            }
        }
        return (int)length;
    }
}
