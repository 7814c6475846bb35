namespace QSim.Kernels.Cuda;

/// <summary>A CUDA driver call that returned an error status.</summary>
internal sealed class CudaException : Exception
{
    public CudaException(string call, int status)
        : base($"{call} failed with {CudaNative.Describe(status)}")
    {
        Status = status;
    }

    /// <summary>The <c>CUresult</c>.</summary>
    public int Status { get; }
}
