using BenchmarkDotNet.Attributes;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;
using Mpc.Core.Protocols.Integers;

namespace Mpc.Benchmarks.Protocols.Integers;

/// <summary>
/// A batch of 32-bit secure comparisons [x &lt; y] (Catrina–de Hoogh LTZ on 33 bits) on three in-process
/// parties over Fp127: the online phase alone (6 rounds) and the preprocessing it consumes.
/// </summary>
[MemoryDiagnoser]
public class ComparisonBenchmarks
{
    private const int Parties = 3, Threshold = 1, Bits = 32;
    private ProtocolContext<Fp127>[] _contexts = null!;
    private IntegerProtocols<Fp127>[] _integers = null!;
    private IntegerPreprocessing<Fp127>[] _preprocessing = null!;
    private Fp127[][] _x = null!, _y = null!;

    [Params(10_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _contexts = InMemoryNetwork.Create(Parties).Select(t => new ProtocolContext<Fp127>(t, Threshold)).ToArray();
        _integers = _contexts.Select(c => new IntegerProtocols<Fp127>(c)).ToArray();
        // Random sharings stand in for 32-bit inputs: only the shares' shape matters for timing, and
        // comparison of out-of-range values costs exactly the same.
        _x = RunParties(c => new RandomSharingSource<Fp127>(c).GenerateAsync(Count).AsTask());
        _y = RunParties(c => new RandomSharingSource<Fp127>(c).GenerateAsync(Count).AsTask());
        // Masks and triples are reused across iterations: fine for timing, never for security.
        _preprocessing = RunParties(c => _integers[c.Party].PrepareAsync(IntegerOperation.LessThan, Count, Bits).AsTask());
    }

    /// <summary>The online phase of <see cref="Count"/> comparisons: one opening and a 5-layer carry tree.</summary>
    [Benchmark]
    public Fp127[][] LessThanOnline() =>
        RunParties(c => _integers[c.Party].LessThanAsync(_x[c.Party], _y[c.Party], Bits, _preprocessing[c.Party]).AsTask());

    /// <summary>The masks (73 random bits per comparison) and 61 triples per comparison the online phase consumes.</summary>
    [Benchmark]
    public IntegerPreprocessing<Fp127>[] LessThanPreprocessing() =>
        RunParties(c => _integers[c.Party].PrepareAsync(IntegerOperation.LessThan, Count, Bits).AsTask());

    /// <summary>The random bits alone (73 per comparison): bits/s = 73 · Count / time.</summary>
    [Benchmark]
    public Fp127[][] RandomBits() => RunParties(c => new RandomBitSource<Fp127>(c).GenerateAsync(73 * Count).AsTask());

    private TResult[] RunParties<TResult>(Func<ProtocolContext<Fp127>, Task<TResult>> protocol) =>
        Task.WhenAll(_contexts.Select(c => Task.Run(() => protocol(c)))).GetAwaiter().GetResult();
}
