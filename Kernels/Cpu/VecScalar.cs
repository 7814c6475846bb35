using System.Numerics;
using System.Runtime.CompilerServices;

namespace QSim.Kernels.Cpu;

/// <summary>One lane: the portable fallback, and the remainder loop of every vector kernel.</summary>
internal unsafe struct VecScalar<T> : IVec<VecScalar<T>, T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private VecScalar(T v) => V = v;

    public static int Count => 1;

    public static VecScalar<T> Zero => new(T.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VecScalar<T> Load(T* p) => new(*p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(VecScalar<T> v, T* p) => *p = v.V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VecScalar<T> Broadcast(T value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VecScalar<T> operator +(VecScalar<T> a, VecScalar<T> b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VecScalar<T> operator -(VecScalar<T> a, VecScalar<T> b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VecScalar<T> operator *(VecScalar<T> a, VecScalar<T> b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VecScalar<T> Fma(VecScalar<T> a, VecScalar<T> b, VecScalar<T> c) => new(T.FusedMultiplyAdd(a.V, b.V, c.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VecScalar<T> Fnma(VecScalar<T> a, VecScalar<T> b, VecScalar<T> c) => new(T.FusedMultiplyAdd(-a.V, b.V, c.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(VecScalar<T> v) => v.V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(VecScalar<T> v, int lane) => v.V;
}
