using BenchmarkDotNet.Attributes;
using Mpc.Core.Fields;

namespace Mpc.Benchmarks.Fields;

/// <summary>
/// GF(2^64) multiplication: PCLMULQDQ against the portable constant-time fallback, scalar latency and
/// throughput, the batch kernels and the inverse. Times are per element (<c>OperationsPerInvoke</c>).
/// </summary>
[MemoryDiagnoser]
public class Gf2k64Benchmarks
{
    private const int N = 1 << 16;
    private const int Chain = 1024;

    private Gf2k64[] _x = [], _y = [], _z = [], _d = [];
    private Gf2k64 _a, _b;

    [GlobalSetup]
    public void Setup()
    {
        using var random = new AesCtrRandom();
        _x = new Gf2k64[N];
        _y = new Gf2k64[N];
        _z = new Gf2k64[N];
        _d = new Gf2k64[N];
        Gf2k64.RandomFill(random, _x);
        Gf2k64.RandomFill(random, _y);
        Gf2k64.RandomFill(random, _z);
        _a = Gf2k64.Random(random);
        _b = Gf2k64.Random(random);
    }

    /// <summary>One multiplication feeding the next: carry-less multiply plus reduction on the critical path.</summary>
    [Benchmark(OperationsPerInvoke = Chain)]
    public Gf2k64 MulLatency()
    {
        Gf2k64 acc = _a, m = _b;
        for (int i = 0; i < Chain; i++) acc *= m;
        return acc;
    }

    /// <summary>Four independent chains the CPU can overlap.</summary>
    [Benchmark(OperationsPerInvoke = Chain)]
    public Gf2k64 MulThroughput()
    {
        Gf2k64 m = _b, a0 = _a, a1 = _a + m, a2 = _a * m, a3 = _a + Gf2k64.One;
        for (int i = 0; i < Chain; i += 4)
        {
            a0 *= m;
            a1 *= m;
            a2 *= m;
            a3 *= m;
        }
        return a0 + a1 + a2 + a3;
    }

    /// <summary>The same four chains with the portable shift-and-XOR carry-less multiply (CPUs without PCLMULQDQ).</summary>
    [Benchmark(OperationsPerInvoke = Chain)]
    public ulong MulThroughputPortable()
    {
        ulong m = _b.Value, a0 = _a.Value, a1 = a0 ^ m, a2 = a0 ^ 1, a3 = a0 ^ 2;
        for (int i = 0; i < Chain; i += 4)
        {
            a0 = Gf2k64.Reduce(Gf2k64.CarrylessMultiplyPortable(a0, m, out ulong l0), l0);
            a1 = Gf2k64.Reduce(Gf2k64.CarrylessMultiplyPortable(a1, m, out ulong l1), l1);
            a2 = Gf2k64.Reduce(Gf2k64.CarrylessMultiplyPortable(a2, m, out ulong l2), l2);
            a3 = Gf2k64.Reduce(Gf2k64.CarrylessMultiplyPortable(a3, m, out ulong l3), l3);
        }
        return a0 ^ a1 ^ a2 ^ a3;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchMultiply() => Gf2k64.Multiply(_x, _y, _d);

    /// <summary>The Beaver finalize kernel's shape.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void BatchMultiplyAdd() => Gf2k64.MultiplyAdd(_x, _y, _z, _d);

    /// <summary>XOR, vectorised: the cost of a free gate.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void BatchAdd() => Gf2k64.Add(_x, _y, _d);

    /// <summary>Itoh–Tsujii: 63 squarings and 10 multiplications.</summary>
    [Benchmark]
    public Gf2k64 Inverse() => _a.Inverse();
}
