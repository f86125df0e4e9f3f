using BenchmarkDotNet.Attributes;
using Mpc.Core.Fields;

namespace Mpc.Benchmarks.Fields;

/// <summary>
/// Bulk sampling of field elements (rejection sampling included) from the OS CSPRNG. Time is per element
/// (<c>OperationsPerInvoke</c>); multiply elements/s by the field's byte length for bytes/s.
/// </summary>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(Fp61))]
[GenericTypeArguments(typeof(Fp127))]
public class RandomFillBenchmarks<T> where T : struct, IField<T>
{
    private const int N = 1 << 16;
    private readonly T[] _d = new T[N];

    [Benchmark(OperationsPerInvoke = N)]
    public void RandomFillCryptoRandom() => T.RandomFill(CryptoRandom.Shared, _d);
}

/// <summary>
/// Raw throughput of the OS CSPRNG: 1 MiB per call (bulk), and 16-byte draws (one Fp127 or two Fp61 at a
/// time; time per draw), where per-call overhead dominates.
/// </summary>
[MemoryDiagnoser]
public class RandomSourceBenchmarks
{
    private const int Draws = 1024;
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly byte[] _draw = new byte[16];

    [Benchmark]
    public void CryptoRandomMiB() => CryptoRandom.Shared.Fill(_buffer);

    [Benchmark(OperationsPerInvoke = Draws)]
    public void CryptoRandom16Bytes()
    {
        for (int i = 0; i < Draws; i++) CryptoRandom.Shared.Fill(_draw);
    }
}
