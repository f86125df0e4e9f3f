using Mpc.Core.Fields;

namespace Mpc.Core.Protocols;

/// <summary>
/// This party's shares of a batch of Beaver triples ([a], [b], [c]) with c = a·b, struct-of-arrays:
/// triple i is (<c>A.Span[i]</c>, <c>B.Span[i]</c>, <c>C.Span[i]</c>).
/// </summary>
/// <remarks>Each triple must be used for at most one multiplication: reuse leaks x − x'.</remarks>
/// <typeparam name="T">The field.</typeparam>
public readonly struct TripleBatch<T> where T : struct, IField<T>
{
    /// <summary>Wraps three share vectors of equal length.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public TripleBatch(ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, ReadOnlyMemory<T> c)
    {
        if (a.Length != b.Length || a.Length != c.Length)
            throw new ArgumentException($"Triple vectors differ in length (A {a.Length}, B {b.Length}, C {c.Length}).");
        A = a;
        B = b;
        C = c;
    }

    /// <summary>Shares of a.</summary>
    public ReadOnlyMemory<T> A { get; }

    /// <summary>Shares of b.</summary>
    public ReadOnlyMemory<T> B { get; }

    /// <summary>Shares of c = a·b.</summary>
    public ReadOnlyMemory<T> C { get; }

    /// <summary>Number of triples.</summary>
    public int Count => A.Length;

    /// <summary>The triples [start, start + length), without copying.</summary>
    public TripleBatch<T> Slice(int start, int length) => new(A.Slice(start, length), B.Slice(start, length), C.Slice(start, length));
}

/// <summary>This party's shares of double sharings ([r]_t, [r]_2t): the same random r at degrees t and 2t.</summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="Low">Shares of the degree-t sharings.</param>
/// <param name="High">Shares of the degree-2t sharings.</param>
public readonly record struct DoubleSharings<T>(T[] Low, T[] High) where T : struct, IField<T>;
