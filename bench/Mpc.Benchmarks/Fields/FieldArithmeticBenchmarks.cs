using BenchmarkDotNet.Attributes;
using Mpc.Core.Fields;

namespace Mpc.Benchmarks.Fields;

/// <summary>
/// Scalar and batch arithmetic per field. Every benchmark reports time per element
/// (<c>OperationsPerInvoke</c>), so elements/s = 10^9 / (ns/op).
/// </summary>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(Fp61))]
[GenericTypeArguments(typeof(Fp127))]
[GenericTypeArguments(typeof(Gf2k64))]
public class FieldArithmeticBenchmarks<T> where T : struct, IField<T>
{
    private const int N = 1 << 16;
    private const int Chain = 1024;

    private T[] _x = [], _y = [], _z = [], _d = [];
    private T _a, _b;

    [GlobalSetup]
    public void Setup()
    {
        IRandomSource random = CryptoRandom.Shared;
        _x = new T[N];
        _y = new T[N];
        _z = new T[N];
        _d = new T[N];
        T.RandomFill(random, _x);
        T.RandomFill(random, _y);
        T.RandomFill(random, _z);
        _a = T.Random(random);
        _b = T.Random(random);
    }

    /// <summary>Latency of one multiplication: each product feeds the next.</summary>
    [Benchmark(OperationsPerInvoke = Chain)]
    public T MulLatency()
    {
        T acc = _a, m = _b;
        for (int i = 0; i < Chain; i++) acc *= m;
        return acc;
    }

    /// <summary>Throughput of multiplication: four independent chains the CPU can overlap.</summary>
    [Benchmark(OperationsPerInvoke = Chain)]
    public T MulThroughput()
    {
        T m = _b, a0 = _a, a1 = _a + m, a2 = _a - m, a3 = -_a;
        for (int i = 0; i < Chain; i += 4)
        {
            a0 *= m;
            a1 *= m;
            a2 *= m;
            a3 *= m;
        }
        return a0 + a1 + a2 + a3;
    }

    /// <summary>Latency of one addition.</summary>
    [Benchmark(OperationsPerInvoke = Chain)]
    public T AddLatency()
    {
        T acc = _a, m = _b;
        for (int i = 0; i < Chain; i++) acc += m;
        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchAdd() => T.Add(_x, _y, _d);

    /// <summary>The plain scalar loop, as a baseline for the vectorised <see cref="BatchAdd"/>.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void BatchAddScalarLoop() => FieldKernels.Add<T>(_x, _y, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchSubtract() => T.Subtract(_x, _y, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchMultiply() => T.Multiply(_x, _y, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchMultiplyAdd() => T.MultiplyAdd(_x, _y, _z, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchScaleAdd() => T.ScaleAdd(_x, _a, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchScale() => T.Scale(_x, _a, _d);

    /// <summary>A degree-1 opening's interpolation a·x + b·y: Scale then ScaleAdd, as Opener.Reconstruct runs it.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void BatchScaleThenScaleAdd()
    {
        T.Scale(_x, _a, _d);
        T.ScaleAdd(_y, _b, _d);
    }

    // The plain scalar loops (one scalar multiplication per element), as baselines for the vectorised product kernels.

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchMultiplyScalarLoop() => FieldKernels.Multiply<T>(_x, _y, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchMultiplyAddScalarLoop() => FieldKernels.MultiplyAdd<T>(_x, _y, _z, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchScaleAddScalarLoop() => FieldKernels.ScaleAdd<T>(_x, _a, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchScaleScalarLoop() => FieldKernels.Scale<T>(_x, _a, _d);

    /// <summary>1/√v for a batch of squares (random bits): the field's kernel, four interleaved chains for Fp61/Fp127.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public int BatchInverseSqrt() => T.InverseSqrt(_squares, _d);

    /// <summary>The generic route it replaced: a square root per element, then Montgomery batch inversion.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public int BatchInverseSqrtByRoots() => FieldKernels.InverseSqrtByRoots<T>(_squares, _d);

    /// <summary>The canonicity check of a received payload (bytes/s = 10^9 · ByteLength / (ns/op)).</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public int IndexOfNonCanonical() => T.IndexOfNonCanonical(_encoded);

    private T[] _squares = [];
    private byte[] _encoded = [];

    [GlobalSetup(Targets = [nameof(BatchInverseSqrt), nameof(BatchInverseSqrtByRoots), nameof(IndexOfNonCanonical)])]
    public void SetupSquares()
    {
        Setup();
        _squares = new T[N];
        T.Multiply(_x, _x, _squares);
        _encoded = new byte[N * T.ByteLength];
        for (int i = 0; i < N; i++) _x[i].Write(_encoded.AsSpan(i * T.ByteLength, T.ByteLength));
    }
}
