using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Mpc.Core.Circuits;

/// <summary>A byte string is not a canonical circuit encoding.</summary>
public sealed class CircuitEncodingException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="offset">Byte offset of the problem, or −1 when it concerns the decoded circuit as a whole.</param>
    /// <param name="reason">One-line reason.</param>
    /// <param name="inner">The validation error, if any.</param>
    public CircuitEncodingException(int offset, string reason, Exception? inner = null)
        : base(offset >= 0 ? $"circuit encoding, byte {offset}: {reason}" : $"circuit encoding: {reason}", inner)
    {
        Offset = offset;
    }

    /// <summary>Byte offset of the problem, or −1.</summary>
    public int Offset { get; }
}

/// <summary>
/// The canonical binary encoding of a <see cref="Circuit"/>; its Keccak-256 is the circuit id.
/// </summary>
/// <remarks>
/// Version 1, all integers little-endian:
/// <code>
/// "MPCC"  u16 version=1  str name  u32 nparties  str party…(sorted, strictly increasing)
/// u32 ngates  gate…
/// gate = u8 kind, then by kind:
///   input     str name, u32 owner (party index)
///   const     int value
///   add/sub/mul  u32 left, u32 right
///   mulc      u32 left, int constant
///   output    u32 left, str name, u32 receiver (0 = public, else party index + 1)
///   ltz/eqz   u32 left, u32 bits
///   trunc/truncpr/mod2m  u32 left, u32 bits, u32 shift
/// str = u32 byte length, UTF-8 bytes
/// int = u32 byte length, minimal two's-complement bytes (BigInteger.ToByteArray; zero is one 0x00 byte)
/// </code>
/// The integer gates (kinds 8–12) were appended without a version change: a circuit without them
/// encodes exactly as before, so its id is unchanged, and an older reader rejects the new kinds by number.
/// Every field has exactly one encoding, so equal circuits have equal bytes. The decoder accepts only
/// canonical bytes (re-encoding gives back the input) and then validates the circuit.
/// </remarks>
public static class CircuitEncoding
{
    /// <summary>The current format version.</summary>
    public const ushort Version = 1;

    private static ReadOnlySpan<byte> Magic => "MPCC"u8;

    /// <summary>Encodes <paramref name="circuit"/> canonically.</summary>
    public static byte[] Encode(Circuit circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var w = new Writer();
        w.Bytes(Magic);
        w.U16(Version);
        w.Str(circuit.Name);
        w.U32((uint)circuit.Parties.Length);
        foreach (var p in circuit.Parties) w.Str(p);
        w.U32((uint)circuit.Gates.Length);
        foreach (var g in circuit.Gates)
        {
            w.U8((byte)g.Kind);
            switch (g.Kind)
            {
                case GateKind.Input:
                    w.Str(g.Name!);
                    w.U32((uint)circuit.Parties.IndexOf(g.Party!));
                    break;
                case GateKind.Constant:
                    w.Int(g.Constant);
                    break;
                case GateKind.Add or GateKind.Sub or GateKind.Mul:
                    w.U32((uint)g.Left);
                    w.U32((uint)g.Right);
                    break;
                case GateKind.MulConst:
                    w.U32((uint)g.Left);
                    w.Int(g.Constant);
                    break;
                case GateKind.Output:
                    w.U32((uint)g.Left);
                    w.Str(g.Name!);
                    w.U32(g.Party is null ? 0u : (uint)circuit.Parties.IndexOf(g.Party) + 1);
                    break;
                case GateKind.LessThanZero or GateKind.EqualZero:
                    w.U32((uint)g.Left);
                    w.U32((uint)g.Bits);
                    break;
                case GateKind.Trunc or GateKind.TruncPr or GateKind.Mod2m:
                    w.U32((uint)g.Left);
                    w.U32((uint)g.Bits);
                    w.U32((uint)g.Shift);
                    break;
                default:
                    throw new InvalidOperationException($"Gate kind {g.Kind} has no encoding.");
            }
        }
        return w.ToArray();
    }

    /// <summary>Decodes and validates a canonical encoding.</summary>
    /// <exception cref="CircuitEncodingException">Malformed, non-canonical, trailing bytes, or an invalid circuit.</exception>
    public static Circuit Decode(ReadOnlySpan<byte> data)
    {
        var r = new Reader(data);
        if (data.Length < Magic.Length || !data[..Magic.Length].SequenceEqual(Magic))
            throw new CircuitEncodingException(0, "missing magic \"MPCC\": not a circuit encoding");
        r.Skip(Magic.Length);
        int versionAt = r.Offset;
        ushort version = r.U16();
        if (version != Version)
            throw new CircuitEncodingException(versionAt, $"unsupported version {version} (this build reads version {Version})");
        string name = r.Str();
        int partyCount = r.Count(minBytesEach: 4, "party");
        var parties = new string[partyCount];
        for (int i = 0; i < partyCount; i++)
        {
            int at = r.Offset;
            parties[i] = r.Str();
            if (i > 0 && string.CompareOrdinal(parties[i - 1], parties[i]) >= 0)
                throw new CircuitEncodingException(at, $"party '{parties[i]}' is out of canonical (sorted, unique) order");
        }
        int gateCount = r.Count(minBytesEach: 1, "gate");
        var gates = new Gate[gateCount];
        for (int i = 0; i < gateCount; i++)
        {
            int at = r.Offset;
            var kind = (GateKind)r.U8();
            gates[i] = kind switch
            {
                GateKind.Input => Gate.Input(r.Str(), r.Party(parties, allowPublic: false)!),
                GateKind.Constant => Gate.Const(r.Int()),
                GateKind.Add => Gate.Add(r.Wire(), r.Wire()),
                GateKind.Sub => Gate.Sub(r.Wire(), r.Wire()),
                GateKind.Mul => Gate.Mul(r.Wire(), r.Wire()),
                GateKind.MulConst => Gate.MulConst(r.Wire(), r.Int()),
                GateKind.Output => ReadOutput(ref r, parties),
                GateKind.LessThanZero or GateKind.EqualZero => Gate.Integer(kind, r.Wire(), r.Parameter("bit length"), 0),
                GateKind.Trunc or GateKind.TruncPr or GateKind.Mod2m => Gate.Integer(kind, r.Wire(), r.Parameter("bit length"), r.Parameter("shift")),
                _ => throw new CircuitEncodingException(at, $"gate {i}: unknown gate kind {(byte)kind}"),
            };
        }
        if (r.Remaining != 0)
            throw new CircuitEncodingException(r.Offset, $"{r.Remaining} trailing bytes after the last gate");
        try
        {
            return new Circuit(name, parties, gates);
        }
        catch (CircuitValidationException e)
        {
            throw new CircuitEncodingException(-1, "invalid circuit: " + e.Message, e);
        }
    }

    private static Gate ReadOutput(ref Reader r, string[] parties)
    {
        int wire = r.Wire();
        string name = r.Str();
        return Gate.Output(name, wire, r.Party(parties, allowPublic: true));
    }

    private sealed class Writer
    {
        private byte[] _buffer = new byte[256];
        private int _length;

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public void U8(byte value)
        {
            Ensure(1);
            _buffer[_length++] = value;
        }

        public void U16(ushort value)
        {
            Ensure(2);
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_length), value);
            _length += 2;
        }

        public void U32(uint value)
        {
            Ensure(4);
            BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), value);
            _length += 4;
        }

        public void Str(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            U32((uint)bytes.Length);
            Bytes(bytes);
        }

        public void Int(BigInteger value)
        {
            var bytes = value.ToByteArray(); // minimal two's complement, little-endian
            U32((uint)bytes.Length);
            Bytes(bytes);
        }

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        private void Ensure(int extra)
        {
            if (_length + extra <= _buffer.Length) return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private readonly ReadOnlySpan<byte> _data = data;

        public int Offset { get; private set; }

        public readonly int Remaining => _data.Length - Offset;

        public void Skip(int count) => Take(count);

        public byte U8() => Take(1)[0];

        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        /// <summary>A count, bounded by the bytes left so a forged count cannot allocate gigabytes.</summary>
        public int Count(int minBytesEach, string what)
        {
            int at = Offset;
            uint count = U32();
            if (count > (uint)(Remaining / minBytesEach))
                throw new CircuitEncodingException(at, $"{what} count {count} exceeds the {Remaining} bytes left");
            return (int)count;
        }

        public int Wire()
        {
            int at = Offset;
            uint wire = U32();
            if (wire > int.MaxValue)
                throw new CircuitEncodingException(at, $"wire {wire} out of range");
            return (int)wire;
        }

        /// <summary>A gate parameter (bit length, shift): at most <see cref="Gate.MaxBits"/>, the rest is left to validation.</summary>
        public int Parameter(string what)
        {
            int at = Offset;
            uint value = U32();
            if (value > Gate.MaxBits)
                throw new CircuitEncodingException(at, $"{what} {value} exceeds {Gate.MaxBits}");
            return (int)value;
        }

        public string Str()
        {
            int at = Offset;
            uint length = U32();
            if (length > Remaining)
                throw new CircuitEncodingException(at, $"string length {length} exceeds the {Remaining} bytes left");
            var bytes = Take((int)length);
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new CircuitEncodingException(at + 4, "string is not valid UTF-8");
            }
        }

        public BigInteger Int()
        {
            int at = Offset;
            uint length = U32();
            if (length == 0 || length > Remaining)
                throw new CircuitEncodingException(at, $"integer length {length} is zero or exceeds the {Remaining} bytes left");
            var bytes = Take((int)length);
            var value = new BigInteger(bytes);
            // Canonical means minimal: the value must re-encode to exactly these bytes.
            if (value.GetByteCount() != bytes.Length)
                throw new CircuitEncodingException(at, "integer is not minimally encoded");
            return value;
        }

        public string? Party(string[] parties, bool allowPublic)
        {
            int at = Offset;
            uint index = U32();
            if (allowPublic)
            {
                if (index == 0) return null;
                index--;
            }
            if (index >= parties.Length)
                throw new CircuitEncodingException(at, $"party index {index} out of range ({parties.Length} parties)");
            return parties[index];
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > Remaining)
                throw new CircuitEncodingException(Offset, $"truncated: needs {count} more bytes, {Remaining} left");
            var slice = _data.Slice(Offset, count);
            Offset += count;
            return slice;
        }
    }
}
