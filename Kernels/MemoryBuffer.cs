namespace QSim.Kernels;

/// <summary>
/// A typed, contiguous buffer in an accelerator's memory. A buffer belongs to the accelerator that allocated it;
/// passing it to another throws <see cref="AcceleratorMismatchException"/>.
/// </summary>
/// <typeparam name="T">Element type (an unmanaged value type).</typeparam>
public abstract class MemoryBuffer<T> : IDisposable where T : unmanaged
{
    private bool _disposed;

    /// <summary>Creates the buffer record; backends allocate the memory.</summary>
    /// <param name="accelerator">Owner.</param>
    /// <param name="length">Number of elements.</param>
    protected MemoryBuffer(Accelerator accelerator, long length)
    {
        Accelerator = accelerator;
        Length = length;
    }

    /// <summary>The accelerator that owns this buffer.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Number of elements.</summary>
    public long Length { get; }

    /// <summary>Size in bytes.</summary>
    public unsafe long LengthInBytes => Length * sizeof(T);

    /// <summary>Whether <see cref="Dispose()"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Copies host data into the buffer.</summary>
    /// <param name="source">Elements to copy.</param>
    /// <param name="offset">First element of the buffer to write.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit the buffer.</exception>
    public void CopyFromHost(ReadOnlySpan<T> source, long offset = 0)
    {
        ThrowIfDisposed();
        CheckRange(offset, source.Length);
        CopyFromHostCore(source, offset);
    }

    /// <summary>Copies buffer data to the host.</summary>
    /// <param name="destination">Where to write; its length is the number of elements copied.</param>
    /// <param name="offset">First element of the buffer to read.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not fit the buffer.</exception>
    public void CopyToHost(Span<T> destination, long offset = 0)
    {
        ThrowIfDisposed();
        CheckRange(offset, destination.Length);
        CopyToHostCore(destination, offset);
    }

    /// <summary>Releases the memory.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Backend copy from host; the range has been checked.</summary>
    /// <param name="source">Elements.</param>
    /// <param name="offset">Element offset.</param>
    protected abstract void CopyFromHostCore(ReadOnlySpan<T> source, long offset);

    /// <summary>Backend copy to host; the range has been checked.</summary>
    /// <param name="destination">Elements.</param>
    /// <param name="offset">Element offset.</param>
    protected abstract void CopyToHostCore(Span<T> destination, long offset);

    /// <summary>Backend release of the memory; runs once.</summary>
    protected abstract void DisposeCore();

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void CheckRange(long offset, int count)
    {
        if (offset < 0 || offset > Length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"elements [{offset}, {offset + count}) do not fit a buffer of {Length} elements");
        }
    }
}
