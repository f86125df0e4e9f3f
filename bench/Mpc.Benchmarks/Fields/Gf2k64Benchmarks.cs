using BenchmarkDotNet.Attributes;
using Mpc.Core.Fields;

namespace Mpc.Benchmarks.Fields;

/// <summary>
/// What only GF(2^64) has: its multiplication with PCLMULQDQ against the portable constant-time
/// fallback, and the Itoh–Tsujii inverse. The field-generic scalar and batch figures (latency,
/// throughput, XOR, Beaver kernels) come from <see cref="FieldArithmeticBenchmarks{T}"/> with <c>Gf2k64</c>.
/// </summary>
[MemoryDiagnoser]
public class Gf2k64Benchmarks
{
    private const int Chain = 1024;

    private ulong _a, _b;
    private Gf2k64 _element;

    [GlobalSetup]
    public void Setup()
    {
        IRandomSource random = CryptoRandom.Shared;
        _element = Gf2k64.Random(random);
        _a = Gf2k64.Random(random).Value;
        _b = Gf2k64.Random(random).Value | 1;
    }

    /// <summary>Four independent multiply-and-reduce chains with PCLMULQDQ (what <c>operator *</c> compiles to here).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Chain)]
    public ulong MulPclmulqdq() => Chains<Pclmul>();

    /// <summary>The same chains with the portable shift-and-XOR carry-less multiply (CPUs without PCLMULQDQ).</summary>
    [Benchmark(OperationsPerInvoke = Chain)]
    public ulong MulPortable() => Chains<Portable>();

    /// <summary>Itoh–Tsujii: 63 squarings and 10 multiplications.</summary>
    [Benchmark]
    public Gf2k64 Inverse() => _element.Inverse();

    // Static abstract members, so the JIT inlines each multiply into the loop (a delegate would add a call).
    private interface IMultiply
    {
        static abstract ulong Mul(ulong x, ulong m);
    }

    private readonly struct Pclmul : IMultiply
    {
        public static ulong Mul(ulong x, ulong m) => Gf2k64.Reduce(Gf2k64.CarrylessMultiply(x, m, out ulong lo), lo);
    }

    private readonly struct Portable : IMultiply
    {
        public static ulong Mul(ulong x, ulong m) => Gf2k64.Reduce(Gf2k64.CarrylessMultiplyPortable(x, m, out ulong lo), lo);
    }

    private ulong Chains<TMul>() where TMul : struct, IMultiply
    {
        ulong m = _b, a0 = _a, a1 = _a ^ m, a2 = _a ^ 1, a3 = _a ^ 2;
        for (int i = 0; i < Chain; i += 4)
        {
            a0 = TMul.Mul(a0, m);
            a1 = TMul.Mul(a1, m);
            a2 = TMul.Mul(a2, m);
            a3 = TMul.Mul(a3, m);
        }
        return a0 ^ a1 ^ a2 ^ a3;
    }
}
