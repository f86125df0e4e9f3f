using System.Numerics;

namespace Mpc.Contracts.Ethereum;

/// <summary>A type-2 (EIP-1559) transaction with an empty access list.</summary>
/// <remarks>
/// Signing hash: keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value,
/// data, accessList])). Signed form: 0x02 ‖ rlp([… the same nine fields …, yParity, r, s]); the transaction hash
/// is keccak256 of the signed form (EIP-1559 §Specification, EIP-2718 envelope).
/// </remarks>
public sealed record Eip1559Transaction
{
    /// <summary>The EIP-2718 type byte.</summary>
    public const byte TypeByte = 0x02;

    /// <summary>The chain id (EIP-155 replay protection).</summary>
    public required BigInteger ChainId { get; init; }

    /// <summary>The sender's transaction count.</summary>
    public required ulong Nonce { get; init; }

    /// <summary>Tip per gas to the block producer, in wei.</summary>
    public required BigInteger MaxPriorityFeePerGas { get; init; }

    /// <summary>Cap on base fee + tip per gas, in wei.</summary>
    public required BigInteger MaxFeePerGas { get; init; }

    /// <summary>Gas limit.</summary>
    public required ulong GasLimit { get; init; }

    /// <summary>The recipient, or <see langword="null"/> to create a contract from <see cref="Data"/>.</summary>
    public EthAddress? To { get; init; }

    /// <summary>Wei transferred.</summary>
    public BigInteger Value { get; init; }

    /// <summary>Call data or init code.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>The 32-byte hash the sender signs.</summary>
    public byte[] SigningHash() => Keccak256.HashConcatenated([TypeByte], Rlp.EncodeList(Fields(null)));

    /// <summary>The signed EIP-2718 envelope ready for <c>eth_sendRawTransaction</c>.</summary>
    public byte[] EncodeSigned(EthSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        byte[] list = Rlp.EncodeList(Fields(signature));
        var result = new byte[list.Length + 1];
        result[0] = TypeByte;
        list.CopyTo(result, 1);
        return result;
    }

    /// <summary>Signs with <paramref name="key"/> and returns the raw envelope and its transaction hash.</summary>
    public SignedTransaction Sign(EthKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] raw = EncodeSigned(key.Sign(SigningHash()));
        return new SignedTransaction(raw, Keccak256.Hash(raw));
    }

    /// <summary>Decodes a signed envelope into the transaction and its signature.</summary>
    /// <exception cref="FormatException">Not a type-2 envelope, wrong field count, or a non-empty access list.</exception>
    public static (Eip1559Transaction Transaction, EthSignature Signature) DecodeSigned(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty || raw[0] != TypeByte)
        {
            throw new FormatException("Signed transaction does not start with the EIP-1559 type byte 0x02.");
        }

        RlpItem list = Rlp.Decode(raw[1..]);
        IReadOnlyList<RlpItem> f = list.Items;
        if (f.Count != 12)
        {
            throw new FormatException($"A signed EIP-1559 transaction has 12 fields, got {f.Count}.");
        }

        if (f[8].Items.Count != 0)
        {
            throw new FormatException("Access lists are not supported.");
        }

        var tx = new Eip1559Transaction
        {
            ChainId = f[0].ToInteger(),
            Nonce = checked((ulong)f[1].ToInteger()),
            MaxPriorityFeePerGas = f[2].ToInteger(),
            MaxFeePerGas = f[3].ToInteger(),
            GasLimit = checked((ulong)f[4].ToInteger()),
            To = f[5].Bytes.IsEmpty ? null : new EthAddress(f[5].Bytes),
            Value = f[6].ToInteger(),
            Data = f[7].Bytes.ToArray(),
        };
        BigInteger yParity = f[9].ToInteger();
        if (yParity > 1)
        {
            throw new FormatException($"y parity must be 0 or 1, got {yParity}.");
        }

        return (tx, new EthSignature(f[10].ToInteger(), f[11].ToInteger(), (byte)yParity));
    }

    private byte[][] Fields(EthSignature? signature)
    {
        var fields = new List<byte[]>(12)
        {
            Rlp.EncodeInteger(ChainId),
            Rlp.EncodeInteger(Nonce),
            Rlp.EncodeInteger(MaxPriorityFeePerGas),
            Rlp.EncodeInteger(MaxFeePerGas),
            Rlp.EncodeInteger(GasLimit),
            To is { } to ? Rlp.EncodeBytes(to.Bytes) : Rlp.EncodeBytes([]),
            Rlp.EncodeInteger(Value),
            Rlp.EncodeBytes(Data.Span),
            Rlp.EncodeList(),
        };
        if (signature is not null)
        {
            fields.Add(Rlp.EncodeInteger(signature.RecoveryId));
            fields.Add(Rlp.EncodeInteger(signature.R));
            fields.Add(Rlp.EncodeInteger(signature.S));
        }

        return [.. fields];
    }
}
