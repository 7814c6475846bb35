using System.Numerics;

namespace QSim.Kernels;

/// <summary>
/// A device that holds batched state vectors and runs gate kernels on them, in <see cref="float"/> or <see cref="double"/>.
/// </summary>
/// <remarks>
/// <para>Every public method validates its arguments and then calls a <c>protected abstract …Core</c> that the
/// backend implements; backends never repeat checks. Invalid input throws before any work is done, so a state is
/// never left half-updated.</para>
/// <para>Conventions: qubit 0 is the least-significant bit of the amplitude index. A k-qubit matrix is given
/// row-major, 2^k × 2^k; bit j of its row and column index is the value of <c>targets[j]</c>. Controls are
/// satisfied when the control qubit is 1. Host-side amplitudes are sample-major: amplitude i of sample b is at
/// <c>b·2^n + i</c>.</para>
/// </remarks>
public abstract class Accelerator : IDisposable
{
    /// <summary>The largest number of target qubits a dense matrix may have.</summary>
    public const int MaxMatrixQubits = 10;

    /// <summary>The largest number of qubits a state may have.</summary>
    public const int MaxQubits = 62;

    private static int s_instances;
    private long _allocatedBytes;

    /// <summary>Creates the accelerator record; each instance gets its own number for messages.</summary>
    protected Accelerator() => Instance = Interlocked.Increment(ref s_instances);

    /// <summary>A number unique to this accelerator instance in the process (two contexts give two CPU instances).</summary>
    public int Instance { get; }

    /// <summary>The kind of device.</summary>
    public abstract AcceleratorKind Kind { get; }

    /// <summary>The device's name.</summary>
    public abstract string Name { get; }

    /// <summary>Total memory of the device in bytes.</summary>
    public abstract long MemorySize { get; }

    /// <summary>The largest single buffer the device can allocate, in bytes.</summary>
    public abstract long MaxBufferBytes { get; }

    /// <summary>Whether the device computes in double precision.</summary>
    public abstract bool SupportsFloat64 { get; }

    /// <summary>Number of parallel compute units (cores) the device uses.</summary>
    public abstract int ComputeUnits { get; }

    /// <summary>Bytes currently held by buffers of this accelerator.</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    /// <summary>Bytes that a new allocation may still use (device memory not held by this accelerator's buffers).</summary>
    public virtual long AvailableMemory => Math.Max(0, MemorySize - AllocatedBytes);

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}: {Name}";

    /// <summary>Whether <typeparamref name="T"/> is a precision this accelerator computes in.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <returns>True for <see cref="float"/>, and for <see cref="double"/> when <see cref="SupportsFloat64"/>.</returns>
    public bool Supports<T>() where T : unmanaged =>
        typeof(T) == typeof(float) || (typeof(T) == typeof(double) && SupportsFloat64);

    /// <summary>Bytes a batched state of the given size occupies, or <see cref="long.MaxValue"/> if it overflows.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="qubits">Qubits per sample.</param>
    /// <param name="batchSize">Samples.</param>
    /// <returns>Size in bytes.</returns>
    public static unsafe long StateBytes<T>(int qubits, int batchSize) where T : unmanaged
    {
        if (qubits < 0 || batchSize < 0) return 0;
        if (qubits > MaxQubits) return long.MaxValue;
        try { return checked((1L << qubits) * batchSize * 2L * sizeof(T)); }
        catch (OverflowException) { return long.MaxValue; }
    }

    /// <summary>
    /// Bytes this accelerator allocates for a batched state: <see cref="StateBytes{T}"/> plus any gap the backend
    /// leaves between the planes, or <see cref="long.MaxValue"/> if it overflows.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="qubits">Qubits per sample.</param>
    /// <param name="batchSize">Samples.</param>
    /// <returns>Size in bytes.</returns>
    public long StateAllocationBytes<T>(int qubits, int batchSize) where T : unmanaged
    {
        long bytes = StateBytes<T>(qubits, batchSize);
        return bytes == long.MaxValue ? bytes : bytes + PlaneGapBytes;
    }

    // ---------------------------------------------------------------- memory

    /// <summary>Allocates a buffer of <paramref name="length"/> elements, checking the size against the device first.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="length">Number of elements.</param>
    /// <returns>The buffer (contents unspecified).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative.</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">It would not fit.</exception>
    public unsafe MemoryBuffer<T> Allocate<T>(long length) where T : unmanaged
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), $"buffer length {length} is negative");
        long bytes = length > long.MaxValue / sizeof(T) ? long.MaxValue : length * sizeof(T);
        CheckFits(bytes, $"a buffer of {length} {typeof(T).Name} elements");
        return AllocateCore<T>(length);
    }

    /// <summary>
    /// Allocates a batched state of <paramref name="batchSize"/> samples × 2^<paramref name="qubits"/> amplitudes,
    /// initialised to |0…0⟩ in every sample. The size is checked against the device before anything is allocated.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="qubits">Qubits per sample, 1…62.</param>
    /// <param name="batchSize">Samples, at least 1.</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Qubits or batch size out of range.</exception>
    /// <exception cref="NotSupportedException">The precision is not supported by this accelerator.</exception>
    /// <exception cref="InsufficientAcceleratorMemoryException">The state would not fit.</exception>
    public BatchedState<T> AllocateState<T>(int qubits, int batchSize) where T : unmanaged
    {
        CheckPrecision<T>();
        if (qubits < 1 || qubits > MaxQubits)
        {
            throw new ArgumentOutOfRangeException(nameof(qubits), $"a state needs 1…{MaxQubits} qubits, got {qubits}");
        }
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be at least 1, got {batchSize}");
        }
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        long gap = PlaneGapBytes / size;
        long bytes = StateAllocationBytes<T>(qubits, batchSize);
        CheckFits(bytes, $"a state of {batchSize} × 2^{qubits} {typeof(T).Name} amplitudes");
        var buffer = AllocateCore<T>(bytes / size);
        long plane = (1L << qubits) * batchSize;
        var state = new BatchedState<T>(this, buffer, qubits, batchSize, plane + gap);
        SetBasisStateCore(state, 0);
        return state;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, both buffers of this accelerator.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="source">Source buffer.</param>
    /// <param name="destination">Destination buffer, at least as long.</param>
    /// <exception cref="AcceleratorMismatchException">A buffer belongs to another accelerator.</exception>
    /// <exception cref="ArgumentException">The destination is shorter than the source.</exception>
    public void CopyBuffer<T>(MemoryBuffer<T> source, MemoryBuffer<T> destination) where T : unmanaged
    {
        CheckBuffer(source, nameof(source));
        CheckBuffer(destination, nameof(destination));
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} elements, the source {source.Length}", nameof(destination));
        }
        CopyBufferCore(source, destination);
    }

    /// <summary>Backend buffer copy; both buffers are this accelerator's and the sizes fit.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="source">Source.</param>
    /// <param name="destination">Destination.</param>
    protected abstract void CopyBufferCore<T>(MemoryBuffer<T> source, MemoryBuffer<T> destination) where T : unmanaged;

    /// <summary>Throws unless the buffer belongs to this accelerator and is alive.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="buffer">Buffer.</param>
    /// <param name="paramName">Parameter name for the message.</param>
    protected void CheckBuffer<T>(MemoryBuffer<T> buffer, string paramName) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer, paramName);
        if (!ReferenceEquals(buffer.Accelerator, this))
        {
            throw new AcceleratorMismatchException($"the buffer belongs to accelerator #{buffer.Accelerator.Instance} '{buffer.Accelerator}', not to #{Instance} '{this}'", paramName);
        }
        buffer.ThrowIfDisposed();
    }

    /// <summary>Bytes left between the real and the imaginary plane of a state (0 unless the backend benefits).</summary>
    protected virtual int PlaneGapBytes => 0;

    /// <summary>Backend allocation; the size has been checked. Call <see cref="TrackAllocation"/> on success.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="length">Elements.</param>
    /// <returns>The buffer.</returns>
    protected abstract MemoryBuffer<T> AllocateCore<T>(long length) where T : unmanaged;

    /// <summary>Records bytes allocated (positive) or released (negative) by a buffer of this accelerator.</summary>
    /// <param name="bytes">Change in bytes.</param>
    protected internal void TrackAllocation(long bytes) => Interlocked.Add(ref _allocatedBytes, bytes);

    private void CheckFits(long bytes, string what)
    {
        if (bytes == long.MaxValue)
        {
            throw new InsufficientAcceleratorMemoryException(
                $"{what} needs more than 2^63 bytes; {Name} allows at most {MaxBufferBytes} bytes in one buffer", bytes, MaxBufferBytes);
        }
        if (bytes > MaxBufferBytes)
        {
            throw new InsufficientAcceleratorMemoryException(
                $"{what} needs {FormatBytes(bytes)}, more than the largest single allocation of {Name}: {FormatBytes(MaxBufferBytes)}", bytes, MaxBufferBytes);
        }
        long available = AvailableMemory;
        if (bytes > available)
        {
            throw new InsufficientAcceleratorMemoryException(
                $"{what} needs {FormatBytes(bytes)}, but {Name} has only {FormatBytes(available)} free of {FormatBytes(MemorySize)}", bytes, available);
        }
    }

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB ({bytes} bytes)",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB ({bytes} bytes)",
        _ => $"{bytes} bytes",
    };

    // ---------------------------------------------------------------- state preparation

    /// <summary>Sets every sample to the computational basis state |<paramref name="basisIndex"/>⟩.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="basisIndex">Index 0…2^n − 1 (qubit 0 is bit 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the state.</exception>
    public void SetBasisState<T>(BatchedState<T> state, long basisIndex) where T : unmanaged
    {
        CheckState(state);
        if (basisIndex < 0 || basisIndex >= state.Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(basisIndex), $"basis index {basisIndex} is out of range for a {state.Qubits}-qubit state: expected 0…{state.Dimension - 1}");
        }
        SetBasisStateCore(state, basisIndex);
    }

    /// <summary>Writes arbitrary amplitudes (sample-major, <c>B·2^n</c> values). They are not renormalised.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="amplitudes">Amplitude i of sample b at <c>b·2^n + i</c>.</param>
    /// <exception cref="ArgumentException">Wrong length, or a value is NaN or infinite.</exception>
    public void SetState<T>(BatchedState<T> state, ReadOnlySpan<Complex> amplitudes) where T : unmanaged
    {
        CheckState(state);
        if (amplitudes.Length != state.PlaneLength)
        {
            throw new ArgumentException($"expected {state.PlaneLength} amplitudes ({state.BatchSize} samples × 2^{state.Qubits}), got {amplitudes.Length}", nameof(amplitudes));
        }
        CheckFinite(amplitudes, nameof(amplitudes));
        SetStateCore(state, amplitudes);
    }

    /// <summary>Reads all amplitudes to the host, sample-major.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="amplitudes">Destination of length <c>B·2^n</c>.</param>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public void GetState<T>(BatchedState<T> state, Span<Complex> amplitudes) where T : unmanaged
    {
        CheckState(state);
        if (amplitudes.Length != state.PlaneLength)
        {
            throw new ArgumentException($"expected room for {state.PlaneLength} amplitudes, got {amplitudes.Length}", nameof(amplitudes));
        }
        GetStateCore(state, amplitudes);
    }

    /// <summary>Reads all amplitudes to a new host array, sample-major.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <returns><c>B·2^n</c> amplitudes.</returns>
    /// <exception cref="InsufficientAcceleratorMemoryException">The state has more amplitudes than a host array can hold.</exception>
    public Complex[] GetState<T>(BatchedState<T> state) where T : unmanaged
    {
        CheckState(state);
        if (state.PlaneLength > Array.MaxLength)
        {
            throw new InsufficientAcceleratorMemoryException($"a host array holds at most {Array.MaxLength} amplitudes; the state has {state.PlaneLength}", state.PlaneLength, Array.MaxLength);
        }
        var result = new Complex[state.PlaneLength];
        GetStateCore(state, result);
        return result;
    }

    /// <summary>Copies one state into another of the same shape on this accelerator.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="source">Source.</param>
    /// <param name="destination">Destination.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public void Copy<T>(BatchedState<T> source, BatchedState<T> destination) where T : unmanaged
    {
        CheckState(source, nameof(source));
        CheckState(destination, nameof(destination));
        CheckSameShape(source, destination, nameof(destination));
        CopyCore(source, destination);
    }

    /// <summary>
    /// Adds a per-sample multiple of one state to another: <c>destination_b ← destination_b + factors[b] · source_b</c>
    /// for every sample b. Used to build linear combinations such as <c>Σ_k g_bk O_k|ψ_b⟩</c> in adjoint differentiation.
    /// </summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="source">The state added; it may be the destination itself.</param>
    /// <param name="factors">One complex factor per sample.</param>
    /// <param name="destination">The state added to, the same shape as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException">The shapes differ, the number of factors is not the batch size, or a factor is NaN or infinite.</exception>
    public void AddScaled<T>(BatchedState<T> source, ReadOnlySpan<Complex> factors, BatchedState<T> destination) where T : unmanaged
    {
        CheckState(source, nameof(source));
        CheckState(destination, nameof(destination));
        CheckSameShape(source, destination, nameof(destination));
        if (factors.Length != source.BatchSize)
        {
            throw new ArgumentException($"expected one factor per sample: {source.BatchSize}, got {factors.Length}", nameof(factors));
        }
        CheckFinite(factors, nameof(factors));
        AddScaledCore(source, factors, destination);
    }

    /// <summary>Backend: <c>destination_b += factors[b] · source_b</c>.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="source">Source.</param>
    /// <param name="factors">B factors.</param>
    /// <param name="destination">Destination, same shape.</param>
    protected abstract void AddScaledCore<T>(BatchedState<T> source, ReadOnlySpan<Complex> factors, BatchedState<T> destination) where T : unmanaged;

    /// <summary>Whether this accelerator runs a whole <see cref="Circuits.SmallCircuitProgram"/> in one fused launch.</summary>
    internal virtual bool SupportsSmallCircuits => false;

    /// <summary>Whether the fused small-circuit launch can also write probabilities (<see cref="Circuits.SmallCircuitProgram.OutputsProbabilities"/>).</summary>
    internal virtual bool SupportsSmallCircuitProbabilities => false;

    /// <summary>
    /// Runs a small-circuit program for its batch: values[b·K + k] = ⟨O_k⟩_b and, for each seed, the adjoint
    /// gradients[seed][occurrence][b]. The program was built and validated by the simulator.
    /// </summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="program">The program.</param>
    /// <param name="values">B·K values.</param>
    /// <param name="seeds">Observable weights per seed, [seed][b·K + k], or null for values only.</param>
    /// <param name="gradients">[seed][occurrence][b], allocated by the caller, or null.</param>
    internal virtual void RunSmallCircuit<T>(Circuits.SmallCircuitProgram program, double[] values, double[][]? seeds, double[][][]? gradients) where T : unmanaged =>
        throw new NotSupportedException($"accelerator '{Name}' has no fused small-circuit kernel");

    /// <summary>Backend: set a basis state.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="basisIndex">Valid index.</param>
    protected abstract void SetBasisStateCore<T>(BatchedState<T> state, long basisIndex) where T : unmanaged;

    /// <summary>Backend: write amplitudes.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="amplitudes">Sample-major amplitudes of the right length.</param>
    protected abstract void SetStateCore<T>(BatchedState<T> state, ReadOnlySpan<Complex> amplitudes) where T : unmanaged;

    /// <summary>Backend: read amplitudes.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="amplitudes">Sample-major destination of the right length.</param>
    protected abstract void GetStateCore<T>(BatchedState<T> state, Span<Complex> amplitudes) where T : unmanaged;

    /// <summary>Backend: copy a state.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="source">Source.</param>
    /// <param name="destination">Destination of the same shape.</param>
    protected abstract void CopyCore<T>(BatchedState<T> source, BatchedState<T> destination) where T : unmanaged;

    // ---------------------------------------------------------------- gates

    /// <summary>Applies one 2^k × 2^k matrix to the <paramref name="targets"/> of every sample, optionally controlled.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="targets">k distinct target qubits; bit j of the matrix index is <c>targets[j]</c>.</param>
    /// <param name="matrix">Row-major 4^k entries. Not required to be unitary at this level.</param>
    /// <param name="controls">Control qubits (the matrix acts where all are 1), distinct from the targets.</param>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">A qubit repeats, the matrix has the wrong size, or an entry is NaN or infinite.</exception>
    public void ApplyMatrix<T>(BatchedState<T> state, ReadOnlySpan<int> targets, ReadOnlySpan<Complex> matrix, ReadOnlySpan<int> controls = default) where T : unmanaged
    {
        CheckState(state);
        CheckQubits(state.Qubits, targets, controls, MaxMatrixQubits);
        long expected = 1L << (2 * targets.Length);
        if (matrix.Length != expected)
        {
            throw new ArgumentException($"a {targets.Length}-qubit matrix needs {expected} entries (2^{targets.Length} × 2^{targets.Length}), got {matrix.Length}", nameof(matrix));
        }
        CheckFinite(matrix, nameof(matrix));
        ApplyMatrixCore(state, targets, controls, matrix);
    }

    /// <summary>Applies a different 2^k × 2^k matrix to each sample (e.g. RY(x_b)), optionally controlled.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="targets">k distinct target qubits; bit j of the matrix index is <c>targets[j]</c>.</param>
    /// <param name="matrices">B row-major matrices one after another: <c>B·4^k</c> entries.</param>
    /// <param name="controls">Control qubits, distinct from the targets.</param>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">A qubit repeats, the matrices have the wrong size, or an entry is NaN or infinite.</exception>
    public void ApplyMatrixPerSample<T>(BatchedState<T> state, ReadOnlySpan<int> targets, ReadOnlySpan<Complex> matrices, ReadOnlySpan<int> controls = default) where T : unmanaged
    {
        CheckState(state);
        CheckQubits(state.Qubits, targets, controls, MaxMatrixQubits);
        long expected = (1L << (2 * targets.Length)) * state.BatchSize;
        if (matrices.Length != expected)
        {
            throw new ArgumentException($"{state.BatchSize} per-sample {targets.Length}-qubit matrices need {expected} entries, got {matrices.Length}", nameof(matrices));
        }
        CheckFinite(matrices, nameof(matrices));
        ApplyMatrixPerSampleCore(state, targets, controls, matrices);
    }

    /// <summary>Multiplies every sample by a diagonal matrix on the <paramref name="targets"/>, optionally controlled.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="targets">k distinct target qubits; bit j of the diagonal index is <c>targets[j]</c>.</param>
    /// <param name="diagonal">2^k entries.</param>
    /// <param name="controls">Control qubits, distinct from the targets.</param>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">A qubit repeats, the diagonal has the wrong size, or an entry is NaN or infinite.</exception>
    public void ApplyDiagonal<T>(BatchedState<T> state, ReadOnlySpan<int> targets, ReadOnlySpan<Complex> diagonal, ReadOnlySpan<int> controls = default) where T : unmanaged
    {
        CheckState(state);
        CheckQubits(state.Qubits, targets, controls, 20);
        if (diagonal.Length != 1L << targets.Length)
        {
            throw new ArgumentException($"a {targets.Length}-qubit diagonal needs {1L << targets.Length} entries, got {diagonal.Length}", nameof(diagonal));
        }
        CheckFinite(diagonal, nameof(diagonal));
        ApplyDiagonalCore(state, targets, controls, diagonal);
    }

    /// <summary>Multiplies each sample by its own diagonal matrix on the <paramref name="targets"/> (e.g. RZ(x_b)).</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="targets">k distinct target qubits.</param>
    /// <param name="diagonals">B diagonals one after another: <c>B·2^k</c> entries.</param>
    /// <param name="controls">Control qubits, distinct from the targets.</param>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">A qubit repeats, the diagonals have the wrong size, or an entry is NaN or infinite.</exception>
    public void ApplyDiagonalPerSample<T>(BatchedState<T> state, ReadOnlySpan<int> targets, ReadOnlySpan<Complex> diagonals, ReadOnlySpan<int> controls = default) where T : unmanaged
    {
        CheckState(state);
        CheckQubits(state.Qubits, targets, controls, 20);
        long expected = (1L << targets.Length) * state.BatchSize;
        if (diagonals.Length != expected)
        {
            throw new ArgumentException($"{state.BatchSize} per-sample {targets.Length}-qubit diagonals need {expected} entries, got {diagonals.Length}", nameof(diagonals));
        }
        CheckFinite(diagonals, nameof(diagonals));
        ApplyDiagonalPerSampleCore(state, targets, controls, diagonals);
    }

    /// <summary>Swaps two qubits in every sample, optionally controlled.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="qubit0">First qubit.</param>
    /// <param name="qubit1">Second qubit, different from the first.</param>
    /// <param name="controls">Control qubits (a Fredkin gate with one control).</param>
    /// <exception cref="ArgumentOutOfRangeException">A qubit is out of range.</exception>
    /// <exception cref="ArgumentException">A qubit repeats.</exception>
    public void Swap<T>(BatchedState<T> state, int qubit0, int qubit1, ReadOnlySpan<int> controls = default) where T : unmanaged
    {
        CheckState(state);
        ReadOnlySpan<int> targets = [qubit0, qubit1];
        CheckQubits(state.Qubits, targets, controls, 2);
        SwapCore(state, qubit0, qubit1, controls);
    }

    /// <summary>Backend: shared dense matrix.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="targets">Valid targets.</param>
    /// <param name="controls">Valid controls.</param>
    /// <param name="matrix">Row-major 4^k entries.</param>
    protected abstract void ApplyMatrixCore<T>(BatchedState<T> state, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrix) where T : unmanaged;

    /// <summary>Backend: per-sample dense matrices.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="targets">Valid targets.</param>
    /// <param name="controls">Valid controls.</param>
    /// <param name="matrices">B·4^k entries.</param>
    protected abstract void ApplyMatrixPerSampleCore<T>(BatchedState<T> state, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> matrices) where T : unmanaged;

    /// <summary>Backend: shared diagonal.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="targets">Valid targets.</param>
    /// <param name="controls">Valid controls.</param>
    /// <param name="diagonal">2^k entries.</param>
    protected abstract void ApplyDiagonalCore<T>(BatchedState<T> state, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> diagonal) where T : unmanaged;

    /// <summary>Backend: per-sample diagonals.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="targets">Valid targets.</param>
    /// <param name="controls">Valid controls.</param>
    /// <param name="diagonals">B·2^k entries.</param>
    protected abstract void ApplyDiagonalPerSampleCore<T>(BatchedState<T> state, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, ReadOnlySpan<Complex> diagonals) where T : unmanaged;

    /// <summary>Backend: swap.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="qubit0">Valid qubit.</param>
    /// <param name="qubit1">Valid, distinct qubit.</param>
    /// <param name="controls">Valid controls.</param>
    protected abstract void SwapCore<T>(BatchedState<T> state, int qubit0, int qubit1, ReadOnlySpan<int> controls) where T : unmanaged;

    // ---------------------------------------------------------------- reductions and measurement

    /// <summary>The squared norm ⟨ψ_b|ψ_b⟩ of every sample.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="result">B values.</param>
    /// <exception cref="ArgumentException">Wrong result length.</exception>
    public void NormSquared<T>(BatchedState<T> state, Span<double> result) where T : unmanaged
    {
        CheckState(state);
        CheckResultLength(result.Length, state.BatchSize, nameof(result));
        NormSquaredCore(state, result);
    }

    /// <summary>The inner product ⟨a_b|b_b⟩ of every pair of samples (conjugate-linear in the first argument).</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="bra">First state.</param>
    /// <param name="ket">Second state, the same shape.</param>
    /// <param name="result">B values.</param>
    /// <exception cref="ArgumentException">Shapes differ or wrong result length.</exception>
    public void InnerProduct<T>(BatchedState<T> bra, BatchedState<T> ket, Span<Complex> result) where T : unmanaged
    {
        CheckState(bra, nameof(bra));
        CheckState(ket, nameof(ket));
        CheckSameShape(bra, ket, nameof(ket));
        CheckResultLength(result.Length, bra.BatchSize, nameof(result));
        InnerProductCore(bra, ket, result);
    }

    /// <summary>Probabilities |ψ_b(i)|² of every basis state, sample-major (<c>B·2^n</c> values).</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="result">Destination.</param>
    /// <exception cref="ArgumentException">Wrong result length.</exception>
    public void Probabilities<T>(BatchedState<T> state, Span<double> result) where T : unmanaged
    {
        CheckState(state);
        CheckResultLength(result.Length, state.PlaneLength, nameof(result));
        ProbabilitiesCore(state, result);
    }

    /// <summary>The expectation ⟨ψ_b|P|ψ_b⟩ of a Pauli string in every sample (unnormalised states give the unnormalised value).</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="pauli">The Pauli string; its qubits must lie in the state.</param>
    /// <param name="result">B values.</param>
    /// <exception cref="ArgumentOutOfRangeException">The string acts on a qubit the state lacks.</exception>
    /// <exception cref="ArgumentException">Wrong result length.</exception>
    public void ExpectationPauli<T>(BatchedState<T> state, PauliString pauli, Span<double> result) where T : unmanaged
    {
        CheckState(state);
        if (pauli.MaxQubit >= state.Qubits)
        {
            throw new ArgumentOutOfRangeException(nameof(pauli), $"qubit {pauli.MaxQubit} of Pauli string '{pauli}' is out of range for a {state.Qubits}-qubit state");
        }
        CheckResultLength(result.Length, state.BatchSize, nameof(result));
        ExpectationPauliCore(state, pauli, result);
    }

    /// <summary>
    /// Draws <paramref name="shots"/> basis states from every sample's distribution |ψ_b(i)|² / ⟨ψ_b|ψ_b⟩, reproducibly
    /// for a given seed (the same on every accelerator). The state is not changed.
    /// </summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="shots">Draws per sample, at least 1.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="result"><c>B·shots</c> basis indices, sample-major, in the order drawn.</param>
    /// <exception cref="ArgumentOutOfRangeException">Shots below 1.</exception>
    /// <exception cref="ArgumentException">Wrong result length.</exception>
    /// <exception cref="InvalidOperationException">A sample has zero norm.</exception>
    public void Sample<T>(BatchedState<T> state, int shots, ulong seed, Span<long> result) where T : unmanaged
    {
        CheckState(state);
        if (shots < 1) throw new ArgumentOutOfRangeException(nameof(shots), $"shots must be at least 1, got {shots}");
        CheckResultLength(result.Length, (long)state.BatchSize * shots, nameof(result));
        SampleCore(state, shots, seed, result);
    }

    /// <summary>
    /// Measures <paramref name="qubit"/> in every sample: draws an outcome from the sample's probabilities (reproducibly
    /// for a given seed), then collapses that sample onto it and renormalises.
    /// </summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="qubit">The qubit.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="outcomes">B outcomes (0 or 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range.</exception>
    /// <exception cref="ArgumentException">Wrong outcomes length.</exception>
    /// <exception cref="InvalidOperationException">A sample has zero norm.</exception>
    public void Measure<T>(BatchedState<T> state, int qubit, ulong seed, Span<int> outcomes) where T : unmanaged
    {
        CheckState(state);
        CheckQubit(state.Qubits, qubit, nameof(qubit));
        CheckResultLength(outcomes.Length, state.BatchSize, nameof(outcomes));
        Span<double> p1 = state.BatchSize <= 1024 ? stackalloc double[state.BatchSize] : new double[state.BatchSize];
        Span<double> p0 = state.BatchSize <= 1024 ? stackalloc double[state.BatchSize] : new double[state.BatchSize];
        QubitProbabilityCore(state, qubit, p0, p1);
        var rng = new SplitMix64(seed);
        for (int b = 0; b < state.BatchSize; b++)
        {
            double norm = p0[b] + p1[b];
            if (!(norm > 0)) throw new InvalidOperationException($"sample {b} has zero norm and cannot be measured");
            outcomes[b] = rng.NextDouble() * norm < p1[b] ? 1 : 0;
        }
        CollapseCore(state, qubit, outcomes, p0, p1);
    }

    /// <summary>Projects every sample onto a given outcome of <paramref name="qubit"/> and renormalises.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">The state.</param>
    /// <param name="qubit">The qubit.</param>
    /// <param name="outcomes">B outcomes, each 0 or 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The qubit is out of range or an outcome is not 0 or 1.</exception>
    /// <exception cref="ArgumentException">Wrong outcomes length.</exception>
    /// <exception cref="InvalidOperationException">An outcome has probability zero; the state is left unchanged.</exception>
    public void Collapse<T>(BatchedState<T> state, int qubit, ReadOnlySpan<int> outcomes) where T : unmanaged
    {
        CheckState(state);
        CheckQubit(state.Qubits, qubit, nameof(qubit));
        CheckResultLength(outcomes.Length, state.BatchSize, nameof(outcomes));
        for (int b = 0; b < outcomes.Length; b++)
        {
            if (outcomes[b] is not (0 or 1))
            {
                throw new ArgumentOutOfRangeException(nameof(outcomes), $"outcome {outcomes[b]} of sample {b} is not 0 or 1");
            }
        }
        Span<double> p1 = state.BatchSize <= 1024 ? stackalloc double[state.BatchSize] : new double[state.BatchSize];
        Span<double> p0 = state.BatchSize <= 1024 ? stackalloc double[state.BatchSize] : new double[state.BatchSize];
        QubitProbabilityCore(state, qubit, p0, p1);
        for (int b = 0; b < outcomes.Length; b++)
        {
            double p = outcomes[b] == 1 ? p1[b] : p0[b];
            if (!(p > 0))
            {
                throw new InvalidOperationException($"outcome {outcomes[b]} of qubit {qubit} has probability zero in sample {b}; the state is unchanged");
            }
        }
        CollapseCore(state, qubit, outcomes, p0, p1);
    }

    /// <summary>Backend: squared norms.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="result">B values.</param>
    protected abstract void NormSquaredCore<T>(BatchedState<T> state, Span<double> result) where T : unmanaged;

    /// <summary>Backend: inner products.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="bra">First state.</param>
    /// <param name="ket">Second state.</param>
    /// <param name="result">B values.</param>
    protected abstract void InnerProductCore<T>(BatchedState<T> bra, BatchedState<T> ket, Span<Complex> result) where T : unmanaged;

    /// <summary>Backend: probabilities, sample-major.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="result">B·2^n values.</param>
    protected abstract void ProbabilitiesCore<T>(BatchedState<T> state, Span<double> result) where T : unmanaged;

    /// <summary>Backend: Pauli expectation.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="pauli">Pauli string within the state.</param>
    /// <param name="result">B values.</param>
    protected abstract void ExpectationPauliCore<T>(BatchedState<T> state, PauliString pauli, Span<double> result) where T : unmanaged;

    /// <summary>Backend: sampling. Must use <see cref="SplitMix64"/> seeded with <paramref name="seed"/>, drawing the
    /// samples in order b = 0…B−1, shots in order, each by inverse-CDF over basis index order.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="shots">Shots per sample.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="result">B·shots indices.</param>
    protected abstract void SampleCore<T>(BatchedState<T> state, int shots, ulong seed, Span<long> result) where T : unmanaged;

    /// <summary>Backend: the (unnormalised) probabilities that <paramref name="qubit"/> is 0 and 1, per sample, each summed
    /// over its own amplitudes only, so that an outcome whose amplitudes are all zero has probability exactly zero.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="qubit">Valid qubit.</param>
    /// <param name="probabilityZero">B values.</param>
    /// <param name="probabilityOne">B values.</param>
    protected abstract void QubitProbabilityCore<T>(BatchedState<T> state, int qubit, Span<double> probabilityZero, Span<double> probabilityOne) where T : unmanaged;

    /// <summary>Backend: zero the amplitudes inconsistent with each sample's outcome and rescale the rest to norm 1.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="qubit">Valid qubit.</param>
    /// <param name="outcomes">Valid outcomes with non-zero probability.</param>
    /// <param name="probabilityZero">From <see cref="QubitProbabilityCore"/>.</param>
    /// <param name="probabilityOne">From <see cref="QubitProbabilityCore"/>.</param>
    protected abstract void CollapseCore<T>(BatchedState<T> state, int qubit, ReadOnlySpan<int> outcomes, ReadOnlySpan<double> probabilityZero, ReadOnlySpan<double> probabilityOne) where T : unmanaged;

    // ---------------------------------------------------------------- validation (one place for every message)

    /// <summary>Throws unless the state belongs to this accelerator, is alive and of a supported precision.</summary>
    /// <typeparam name="T">Precision.</typeparam>
    /// <param name="state">State.</param>
    /// <param name="paramName">Parameter name for the message.</param>
    protected void CheckState<T>(BatchedState<T> state, string paramName = "state") where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(state, paramName);
        if (!ReferenceEquals(state.Accelerator, this))
        {
            throw new AcceleratorMismatchException($"the state belongs to accelerator #{state.Accelerator.Instance} '{state.Accelerator}', not to #{Instance} '{this}'", paramName);
        }
        if (state.IsDisposed) throw new ObjectDisposedException(paramName, $"the {state.BatchSize} × {state.Qubits}-qubit state has been disposed");
        CheckPrecision<T>();
    }

    private void CheckPrecision<T>() where T : unmanaged
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"precision {typeof(T).Name} is not supported: expected float or double");
        }
        if (typeof(T) == typeof(double) && !SupportsFloat64)
        {
            throw new NotSupportedException($"accelerator '{this}' does not support double precision (fp64); use float");
        }
    }

    private static void CheckSameShape<T>(BatchedState<T> a, BatchedState<T> b, string paramName) where T : unmanaged
    {
        if (a.Qubits != b.Qubits || a.BatchSize != b.BatchSize)
        {
            throw new ArgumentException($"states differ in shape: {a.BatchSize} × {a.Qubits} qubits vs {b.BatchSize} × {b.Qubits} qubits", paramName);
        }
    }

    private static void CheckResultLength(long actual, long expected, string paramName)
    {
        if (actual != expected) throw new ArgumentException($"expected a destination of length {expected}, got {actual}", paramName);
    }

    private static void CheckQubit(int qubits, int qubit, string paramName)
    {
        if ((uint)qubit >= (uint)qubits)
        {
            throw new ArgumentOutOfRangeException(paramName, $"qubit {qubit} is out of range for a {qubits}-qubit state: expected 0…{qubits - 1}");
        }
    }

    /// <summary>Validates target and control qubits: in range, no repeats, at most <paramref name="maxTargets"/> targets.</summary>
    /// <param name="qubits">Qubits of the state.</param>
    /// <param name="targets">Targets.</param>
    /// <param name="controls">Controls.</param>
    /// <param name="maxTargets">Largest number of targets.</param>
    internal static void CheckQubits(int qubits, ReadOnlySpan<int> targets, ReadOnlySpan<int> controls, int maxTargets)
    {
        if (targets.Length == 0) throw new ArgumentException("a gate needs at least one target qubit", nameof(targets));
        if (targets.Length > maxTargets)
        {
            throw new ArgumentException($"{targets.Length} target qubits exceed the limit of {maxTargets} for this kernel", nameof(targets));
        }
        ulong seen = 0;
        foreach (int q in targets) Mark(q, nameof(targets));
        foreach (int q in controls) Mark(q, nameof(controls));

        void Mark(int q, string name)
        {
            CheckQubit(qubits, q, name);
            ulong bit = 1UL << q;
            if ((seen & bit) != 0) throw new ArgumentException($"qubit {q} appears twice in one gate: targets and controls must be distinct", name);
            seen |= bit;
        }
    }

    private static void CheckFinite(ReadOnlySpan<Complex> values, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i].Real) || !double.IsFinite(values[i].Imaginary))
            {
                throw new ArgumentException($"entry {i} is {values[i]}: every value must be finite", paramName);
            }
        }
    }

    /// <summary>Waits until every operation queued on this accelerator has finished (a no-op on the CPU, whose
    /// kernels run synchronously). Timings of asynchronous accelerators need it; results read back to the host
    /// synchronise on their own.</summary>
    public void Synchronize() => SynchronizeCore();

    /// <summary>Backend: wait for queued work.</summary>
    protected virtual void SynchronizeCore() { }

    // ---------------------------------------------------------------- lifetime

    /// <summary>Releases the accelerator's resources.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Backend disposal.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing) { }
}
