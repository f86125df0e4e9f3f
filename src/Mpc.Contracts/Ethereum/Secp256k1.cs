using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using NumBigInteger = System.Numerics.BigInteger;

namespace Mpc.Contracts.Ethereum;

/// <summary>The secp256k1 curve parameters (SEC 2, §2.4.1) shared by signing and recovery.</summary>
internal static class Secp256k1
{
    internal static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");

    internal static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);

    /// <summary>The group order n.</summary>
    internal static readonly NumBigInteger N = ToNumeric(Curve.N);

    /// <summary>n / 2, the largest s allowed by EIP-2.</summary>
    internal static readonly NumBigInteger HalfN = N >> 1;

    internal static BcBigInteger ToBouncy(NumBigInteger value) =>
        new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));

    internal static NumBigInteger ToNumeric(BcBigInteger value) =>
        new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    /// <summary>Writes a non-negative integer below 2^256 as a 32-byte big-endian word.</summary>
    internal static void WriteWord(NumBigInteger value, Span<byte> destination)
    {
        destination[..32].Clear();
        int length = value.GetByteCount(isUnsigned: true);
        if (!value.TryWriteBytes(destination.Slice(32 - length, length), out _, isUnsigned: true, isBigEndian: true))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Value does not fit in 32 bytes.");
        }
    }
}
