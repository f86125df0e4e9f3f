using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mpc.Contracts.Ethereum;

namespace Mpc.Contracts.Tests.Ethereum;

/// <summary>Round-trip properties with <see cref="BigInteger"/> as the reference for integers.</summary>
public class EncodingPropertyTests
{
    private static Arbitrary<BigInteger> Int256 =>
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32)
            .Select(bytes => new BigInteger(bytes, isUnsigned: false, isBigEndian: true))
            .ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Rlp_ByteStrings_RoundTrip() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
            Rlp.Decode(Rlp.EncodeBytes(bytes)).Bytes.SequenceEqual(bytes));

    [Property(MaxTest = 200)]
    public Property Rlp_Integers_RoundTripAndAreMinimal() =>
        Prop.ForAll(Int256, value =>
        {
            BigInteger unsigned = BigInteger.Abs(value);
            RlpItem item = Rlp.Decode(Rlp.EncodeInteger(unsigned));
            return item.ToInteger() == unsigned && (item.Bytes.IsEmpty || item.Bytes[0] != 0);
        });

    [Property(MaxTest = 200)]
    public Property Abi_Int256AndUint256_RoundTrip() =>
        Prop.ForAll(Int256, value =>
        {
            BigInteger unsigned = value.Sign < 0 ? (BigInteger.One << 256) + value : value;
            object?[] decoded = Abi.Decode("int256,uint256", Abi.Encode("int256,uint256", value, unsigned));
            return (BigInteger)decoded[0]! == value && (BigInteger)decoded[1]! == unsigned;
        });

    [Property(MaxTest = 100)]
    public Property Abi_DynamicValues_RoundTrip() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<NonNull<string>>(), (bytes, text) =>
        {
            string s = text.Get;
            // Lone surrogates cannot be UTF-8 encoded; they are not valid Solidity strings either.
            if (s.Any(char.IsSurrogate))
            {
                return true;
            }

            object?[] decoded = Abi.Decode("bytes,string,bytes[]", Abi.Encode("bytes,string,bytes[]", bytes, s, new object[] { bytes, bytes }));
            return ((byte[])decoded[0]!).SequenceEqual(bytes) && (string)decoded[1]! == s && ((object?[])decoded[2]!).Length == 2;
        });

    [Theory]
    [InlineData(0, "0x0")]
    [InlineData(26, "0x1a")]
    [InlineData(255, "0xff")]
    [InlineData(4096, "0x1000")]
    public void Hex_Quantity_IsMinimalAndRoundTrips(long value, string expected)
    {
        Assert.Equal(expected, Hex.EncodeQuantity(value));
        Assert.Equal(value, Hex.DecodeQuantityInt64(expected));
    }

    [Fact]
    public void Hex_Decode_RejectsOddLengthAndBadDigits()
    {
        Assert.Contains("odd", Assert.Throws<FormatException>(() => Hex.Decode("0x123")).Message);
        Assert.Contains("not a hex digit", Assert.Throws<FormatException>(() => Hex.Decode("0xzz")).Message);
    }
}
