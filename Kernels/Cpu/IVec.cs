using System.Runtime.CompilerServices;

namespace QSim.Kernels.Cpu;

/// <summary>
/// A SIMD register of <typeparamref name="T"/> lanes, abstracted so that one kernel body compiles to Vector512,
/// Vector256 or scalar code (the System.Numerics.Tensors pattern: operators as structs, specialised by the JIT).
/// </summary>
internal unsafe interface IVec<TV, T>
    where TV : unmanaged, IVec<TV, T>
    where T : unmanaged
{
    static abstract int Count { get; }

    static abstract TV Load(T* p);

    static abstract void Store(TV v, T* p);

    static abstract TV Broadcast(T value);

    static abstract TV Zero { get; }

    static abstract TV operator +(TV a, TV b);

    static abstract TV operator -(TV a, TV b);

    static abstract TV operator *(TV a, TV b);

    /// <summary>a·b + c.</summary>
    static abstract TV Fma(TV a, TV b, TV c);

    /// <summary>c − a·b.</summary>
    static abstract TV Fnma(TV a, TV b, TV c);

    static abstract T Sum(TV v);

    static abstract T Lane(TV v, int lane);
}
