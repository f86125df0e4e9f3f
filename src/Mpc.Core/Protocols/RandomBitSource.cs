using Mpc.Core.Fields;

namespace Mpc.Core.Protocols;

/// <summary>Generates sharings of uniformly random bits (0 or 1), unknown to any t parties.</summary>
/// <remarks>
/// The square-root trick (Damgård, Fitzi, Kiltz, Nielsen, Toft, TCC 2006, §4): take a random [r]
/// (Damgård–Nielsen 2007), open v = r², and let c be the canonical square root of v. Then r/c is ±1
/// with probability ½ each, independent of v, so [b] = ([r]·c⁻¹ + 1)/2 is a random bit. Needs p ≡ 3
/// (mod 4) only for the square root's speed (both Mersenne fields qualify; any odd p works).
/// Here r² is opened directly as the degree-2t product [r]·[r] re-randomised with a DN07 sharing of
/// zero, so the opened polynomial reveals nothing but r² (two rounds: dealing and opening).
/// v = 0 (r = 0, probability 1/p) is public; those positions are regenerated.
/// The trick needs an odd characteristic (it divides by 2 and relies on ±1 being distinct), so a binary
/// field such as <see cref="Gf2k64"/> is refused at construction; boolean circuits need no random bits.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class RandomBitSource<T> where T : struct, IField<T>
{
    private readonly ProtocolContext<T> _context;
    private readonly RandomSharingSource<T> _sharings;
    private readonly Opener<T> _opener;

    /// <summary>Creates the source on a context.</summary>
    /// <exception cref="NotSupportedException">The field has characteristic 2.</exception>
    public RandomBitSource(ProtocolContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (T.Modulus.IsEven)
            throw new NotSupportedException($"Random bits by the square-root trick need an odd characteristic; {T.Name} has characteristic 2.");
        _context = context;
        _sharings = new RandomSharingSource<T>(context);
        _opener = new Opener<T>(context);
    }

    /// <summary>This party's shares of <paramref name="count"/> random bits; every party calls this with the same count.</summary>
    /// <exception cref="Network.TransportException">A peer failed.</exception>
    public async ValueTask<T[]> GenerateAsync(int count, CancellationToken cancellationToken = default)
    {
        int t = _context.Threshold;
        T[][] dealt = await _sharings.DealAsync([new(t, DealtSecret.Random), new(2 * t, DealtSecret.Zero)], count, cancellationToken)
            .ConfigureAwait(false);
        T[] r = dealt[0], zero = dealt[1];

        var squares = GC.AllocateUninitializedArray<T>(count);
        T.MultiplyAdd(r, r, zero, squares); // [r²]_2t + [0]_2t: a uniformly random degree-2t sharing of r²
        Opener<T>.Opening opening = _opener.PrepareOpenConsuming(squares, 2 * t);
        await _opener.ExchangeAsync(opening, cancellationToken).ConfigureAwait(false);
        T[] v = zero; // reuse: the zero sharings are consumed
        _opener.FinalizeOpen(opening, v);

        int zeros = ToBits(r, v);
        if (zeros == 0) return r;

        // Public, astronomically rare: regenerate the positions where r was 0 (same schedule on every party).
        T[] replacements = await GenerateAsync(zeros, cancellationToken).ConfigureAwait(false);
        for (int i = 0, k = 0; i < count; i++)
            if (v[i] == T.Zero) r[i] = replacements[k++];
        return r;
    }

    /// <summary>Turns [r] into [b] in place given the public v = r²; returns how many v were zero.</summary>
    private static int ToBits(Span<T> r, ReadOnlySpan<T> v)
    {
        // Montgomery's batch inversion: one field inversion for the whole batch; v is public, so
        // skipping zeros (branching on v) leaks nothing.
        int count = r.Length, zeros = 0;
        var prefix = GC.AllocateUninitializedArray<T>(count);
        T running = T.One;
        for (int i = 0; i < count; i++)
        {
            prefix[i] = running;
            if (v[i] != T.Zero) running *= v[i];
            else zeros++;
        }
        T inverse = running.Inverse(), half = T.FromUInt64(2).Inverse();
        for (int i = count - 1; i >= 0; i--)
        {
            if (v[i] == T.Zero) continue;
            T vInverse = inverse * prefix[i];
            inverse *= v[i];
            if (!v[i].TrySqrt(out T root))
                throw new InvalidOperationException($"Opened square at {i} has no square root in {T.Name}: the opening is corrupt.");
            // b = (r / c + 1) / 2 with 1/c = c / v.
            r[i] = r[i] * (root * vInverse * half) + half;
        }
        return zeros;
    }
}
