using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QSim.Kernels.Cpu;

/// <summary>512-bit lanes (AVX-512).</summary>
internal unsafe struct Vec512<T> : IVec<Vec512<T>, T> where T : unmanaged
{
    public Vector512<T> V;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vec512(Vector512<T> v) => V = v;

    public static int Count => Vector512<T>.Count;

    public static Vec512<T> Zero => new(Vector512<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Load(T* p) => new(Vector512.Load(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vec512<T> v, T* p) => v.V.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Broadcast(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> operator +(Vec512<T> a, Vec512<T> b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> operator -(Vec512<T> a, Vec512<T> b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> operator *(Vec512<T> a, Vec512<T> b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Fma(Vec512<T> a, Vec512<T> b, Vec512<T> c)
    {
        if (typeof(T) == typeof(double))
            return new(Vector512.FusedMultiplyAdd(a.V.AsDouble(), b.V.AsDouble(), c.V.AsDouble()).As<double, T>());
        if (typeof(T) == typeof(float))
            return new(Vector512.FusedMultiplyAdd(a.V.AsSingle(), b.V.AsSingle(), c.V.AsSingle()).As<float, T>());
        return new(a.V * b.V + c.V);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec512<T> Fnma(Vec512<T> a, Vec512<T> b, Vec512<T> c)
    {
        if (typeof(T) == typeof(double))
            return new(Vector512.FusedMultiplyAdd(-a.V.AsDouble(), b.V.AsDouble(), c.V.AsDouble()).As<double, T>());
        if (typeof(T) == typeof(float))
            return new(Vector512.FusedMultiplyAdd(-a.V.AsSingle(), b.V.AsSingle(), c.V.AsSingle()).As<float, T>());
        return new(c.V - a.V * b.V);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vec512<T> v) => Vector512.Sum(v.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Vec512<T> v, int lane) => v.V.GetElement(lane);
}
