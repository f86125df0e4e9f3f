using BenchmarkDotNet.Attributes;
using Mpc.Core.Fields;
using Mpc.Core.Sharing;

namespace Mpc.Benchmarks.Sharing;

/// <summary>Batch Shamir sharing and reconstruction over Fp61 (t = ⌊(n − 1)/2⌋).</summary>
[MemoryDiagnoser]
public class ShamirBenchmarks
{
    private ShamirScheme<Fp61> _scheme = null!;
    private Fp61[] _secrets = null!, _shares = null!, _output = null!;
    private ReadOnlyMemory<Fp61>[] _all = null!, _basis = null!;
    private int[] _basisParties = null!;

    [Params(3, 7)]
    public int Parties { get; set; }

    [Params(100_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int t = (Parties - 1) / 2;
        _scheme = new ShamirScheme<Fp61>(Parties, t);
        _secrets = new Fp61[Count];
        Fp61.RandomFill(CryptoRandom.Shared, _secrets);
        _shares = new Fp61[Parties * Count];
        _output = new Fp61[Count];
        _scheme.ShareBatch(_secrets, CryptoRandom.Shared, _shares);
        _all = Enumerable.Range(0, Parties).Select(p => (ReadOnlyMemory<Fp61>)_shares.AsMemory(p * Count, Count)).ToArray();
        _basisParties = Enumerable.Range(Parties - t - 1, t + 1).ToArray();
        _basis = _basisParties.Select(p => _all[p]).ToArray();
    }

    [Benchmark]
    public void ShareBatch() => _scheme.ShareBatch(_secrets, CryptoRandom.Shared, _shares);

    [Benchmark]
    public void ReconstructFromTPlusOne() => _scheme.Reconstruct(_basisParties, _basis, _output);

    [Benchmark]
    public void ReconstructChecked() => _scheme.ReconstructChecked(_all, _output);
}
