using BenchmarkDotNet.Attributes;
using Mpc.Core.Fields;
using Mpc.Core.Network;
using Mpc.Core.Protocols;

namespace Mpc.Benchmarks.Protocols;

/// <summary>Beaver multiplication: the local phases alone (must not allocate) and whole layers over an in-memory network.</summary>
[MemoryDiagnoser]
public class BeaverBenchmarks
{
    private const int Parties = 3, Threshold = 1;
    private Fp61[] _x = null!, _y = null!, _opened = null!, _z = null!, _masked = null!;
    private TripleBatch<Fp61> _triples;
    private ProtocolContext<Fp61>[] _contexts = null!;
    private BeaverMultiplier<Fp61>[] _multipliers = null!;
    private TripleBatch<Fp61>[] _partyTriples = null!;

    [Params(1_000_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = CryptoRandom.Shared;
        Fp61[] Fresh(int length)
        {
            var v = new Fp61[length];
            Fp61.RandomFill(random, v);
            return v;
        }
        _x = Fresh(Count);
        _y = Fresh(Count);
        _opened = Fresh(2 * Count);
        _masked = new Fp61[2 * Count];
        _z = new Fp61[Count];
        _triples = new TripleBatch<Fp61>(Fresh(Count), Fresh(Count), Fresh(Count));

        _contexts = InMemoryNetwork.Create(Parties).Select(t => new ProtocolContext<Fp61>(t, Threshold)).ToArray();
        _multipliers = _contexts.Select(c => new BeaverMultiplier<Fp61>(c)).ToArray();
        // Triples are reused across iterations: fine for timing, never for security.
        _partyTriples = RunParties(c => new Dn07TripleSource<Fp61>(c).GenerateAsync(Count).AsTask());
    }

    [Benchmark]
    public void PrepareMultiply() => BeaverMultiplier<Fp61>.PrepareMultiply(_x, _y, _triples, _masked);

    [Benchmark]
    public void FinalizeMultiply() => BeaverMultiplier<Fp61>.FinalizeMultiply(_opened, _triples, _z);

    /// <summary>One layer of <see cref="Count"/> multiplications on three in-process parties.</summary>
    [Benchmark]
    public Fp61[][] MultiplyLayerInMemory() =>
        RunParties(c => _multipliers[c.Party].MultiplyAsync(_partyTriples[c.Party].A, _partyTriples[c.Party].B, _partyTriples[c.Party]).AsTask());

    /// <summary>DN07 preprocessing of <see cref="Count"/> triples on three in-process parties.</summary>
    [Benchmark]
    public TripleBatch<Fp61>[] GenerateTriplesInMemory() => RunParties(c => new Dn07TripleSource<Fp61>(c).GenerateAsync(Count).AsTask());

    private TResult[] RunParties<TResult>(Func<ProtocolContext<Fp61>, Task<TResult>> protocol) =>
        Task.WhenAll(_contexts.Select(c => Task.Run(() => protocol(c)))).GetAwaiter().GetResult();
}
