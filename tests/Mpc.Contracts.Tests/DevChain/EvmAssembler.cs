namespace Mpc.Contracts.Tests.DevChain;

/// <summary>A tiny EVM assembler for hand-written test contracts: opcodes, pushes and labelled jump targets.</summary>
/// <remarks>Opcode values from the Yellow Paper, Appendix H. Label references are PUSH2 and patched in <see cref="Build"/>.</remarks>
internal sealed class EvmAssembler
{
    public const byte Stop = 0x00, Eq = 0x14, Shr = 0x1c, Caller = 0x33, CallDataLoad = 0x35, CodeCopy = 0x39,
        Timestamp = 0x42, MStore = 0x52, JumpI = 0x57, JumpDest = 0x5b, Push0 = 0x5f, Dup1 = 0x80, Log2 = 0xa2,
        Return = 0xf3, Revert = 0xfd;

    private readonly List<byte> _code = [];
    private readonly Dictionary<string, int> _labels = [];
    private readonly List<(int Position, string Label)> _fixups = [];

    public EvmAssembler Op(params byte[] opcodes)
    {
        _code.AddRange(opcodes);
        return this;
    }

    /// <summary>PUSHn of the given big-endian bytes (1..32).</summary>
    public EvmAssembler Push(params byte[] value)
    {
        if (value.Length is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, "PUSH takes 1..32 bytes.");
        }

        _code.Add((byte)(0x5f + value.Length));
        _code.AddRange(value);
        return this;
    }

    public EvmAssembler Push(byte value) => Push([value]);

    /// <summary>PUSH32 of <paramref name="bytes"/> left-aligned in the word (how selectors and short strings sit in memory).</summary>
    public EvmAssembler PushLeftAligned(ReadOnlySpan<byte> bytes)
    {
        var word = new byte[32];
        bytes.CopyTo(word);
        return Push(word);
    }

    public EvmAssembler PushLabel(string label)
    {
        _code.Add(0x61);
        _fixups.Add((_code.Count, label));
        _code.AddRange([0, 0]);
        return this;
    }

    public EvmAssembler Label(string label)
    {
        _labels.Add(label, _code.Count);
        _code.Add(JumpDest);
        return this;
    }

    public byte[] Build()
    {
        byte[] code = [.. _code];
        foreach ((int position, string label) in _fixups)
        {
            int target = _labels[label];
            code[position] = (byte)(target >> 8);
            code[position + 1] = (byte)target;
        }

        return code;
    }

    /// <summary>Init code that copies <paramref name="runtime"/> to memory and returns it as the contract's code.</summary>
    public static byte[] Deployer(byte[] runtime)
    {
        const int prefixLength = 13;
        byte[] length = [(byte)(runtime.Length >> 8), (byte)runtime.Length];
        byte[] prefix = new EvmAssembler()
            .Push(length).Push(0, prefixLength).Op(Push0, CodeCopy)
            .Push(length).Op(Push0, Return)
            .Build();
        if (prefix.Length != prefixLength)
        {
            throw new InvalidOperationException($"Deployer prefix is {prefix.Length} bytes, expected {prefixLength}.");
        }

        return [.. prefix, .. runtime];
    }
}
