using BenchmarkDotNet.Attributes;
using Mpc.Core.Fields;

namespace Mpc.Benchmarks.Fields;

/// <summary>
/// Bulk sampling of field elements from the OS CSPRNG and from AES-CTR. Time is per element
/// (<c>OperationsPerInvoke</c>); multiply elements/s by the field's byte length for bytes/s.
/// </summary>
[MemoryDiagnoser]
[GenericTypeArguments(typeof(Fp61))]
[GenericTypeArguments(typeof(Fp127))]
public class RandomFillBenchmarks<T> where T : struct, IField<T>
{
    private const int N = 1 << 16;
    private readonly T[] _d = new T[N];
    private readonly AesCtrRandom _aes = new();

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public void RandomFillCryptoRandom() => T.RandomFill(CryptoRandom.Shared, _d);

    [Benchmark(OperationsPerInvoke = N)]
    public void RandomFillAesCtr() => T.RandomFill(_aes, _d);
}

/// <summary>
/// Raw keystream throughput of the two random sources: 1 MiB per call (bulk), and 16-byte draws
/// (one Fp127 or two Fp61 at a time; time per draw), where per-call overhead dominates.
/// </summary>
[MemoryDiagnoser]
public class RandomSourceBenchmarks
{
    private const int Draws = 1024;
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly byte[] _draw = new byte[16];
    private readonly AesCtrRandom _aes = new();

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    [Benchmark(Baseline = true)]
    public void CryptoRandomMiB() => CryptoRandom.Shared.Fill(_buffer);

    [Benchmark]
    public void AesCtrRandomMiB() => _aes.Fill(_buffer);

    [Benchmark(OperationsPerInvoke = Draws)]
    public void CryptoRandom16Bytes()
    {
        for (int i = 0; i < Draws; i++) CryptoRandom.Shared.Fill(_draw);
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public void AesCtrRandom16Bytes()
    {
        for (int i = 0; i < Draws; i++) _aes.Fill(_draw);
    }
}
