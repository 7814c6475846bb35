using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QSim.Kernels.Cpu;

/// <summary>256-bit lanes (AVX2).</summary>
internal unsafe struct Vec256<T> : IVec<Vec256<T>, T> where T : unmanaged
{
    public Vector256<T> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vec256(Vector256<T> v) => V = v;

    public static int Count => Vector256<T>.Count;

    public static Vec256<T> Zero => new(Vector256<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Load(T* p) => new(Vector256.Load(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec256<T> v, T* p) => v.V.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Broadcast(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> operator +(Vec256<T> a, Vec256<T> b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> operator -(Vec256<T> a, Vec256<T> b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> operator *(Vec256<T> a, Vec256<T> b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Fma(Vec256<T> a, Vec256<T> b, Vec256<T> c)
    {
        if (typeof(T) == typeof(double))
            return new(Vector256.FusedMultiplyAdd(a.V.AsDouble(), b.V.AsDouble(), c.V.AsDouble()).As<double, T>());
        if (typeof(T) == typeof(float))
            return new(Vector256.FusedMultiplyAdd(a.V.AsSingle(), b.V.AsSingle(), c.V.AsSingle()).As<float, T>());
        return new(a.V * b.V + c.V);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec256<T> Fnma(Vec256<T> a, Vec256<T> b, Vec256<T> c)
    {
        if (typeof(T) == typeof(double))
            return new(Vector256.FusedMultiplyAdd(-a.V.AsDouble(), b.V.AsDouble(), c.V.AsDouble()).As<double, T>());
        if (typeof(T) == typeof(float))
            return new(Vector256.FusedMultiplyAdd(-a.V.AsSingle(), b.V.AsSingle(), c.V.AsSingle()).As<float, T>());
        return new(c.V - a.V * b.V);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vec256<T> v) => Vector256.Sum(v.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Vec256<T> v, int lane) => v.V.GetElement(lane);
}
