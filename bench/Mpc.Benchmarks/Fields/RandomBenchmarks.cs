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

/// <summary>Raw keystream throughput of the two random sources, 1 MiB per call.</summary>
[MemoryDiagnoser]
public class RandomSourceBenchmarks
{
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly AesCtrRandom _aes = new();

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    [Benchmark(Baseline = true)]
    public void CryptoRandomMiB() => CryptoRandom.Shared.Fill(_buffer);

    [Benchmark]
    public void AesCtrRandomMiB() => _aes.Fill(_buffer);
}
