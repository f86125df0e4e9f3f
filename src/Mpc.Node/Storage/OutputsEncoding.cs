using System.Text;

namespace Mpc.Node.Storage;

/// <summary>
/// The stored form of a job's outputs: one blob per job (table <c>job_outputs</c>), since a job's outputs are written
/// together, with its <see cref="JobStatus.Succeeded"/> state, and read together for its clients.
/// </summary>
/// <remarks>
/// Layout: the output count, then per output in ordinal name order its name, a flags byte (1: public, 2: has an owner),
/// the owner when flagged, and the value's length and bytes. Counts, lengths and strings use <see cref="BinaryWriter"/>'s
/// 7-bit encoded lengths (strings as UTF-8). The schema version (<see cref="NodeStore.SchemaVersion"/>) names the layout.
/// </remarks>
internal static class OutputsEncoding
{
    private const byte Public = 1, HasOwner = 2;

    /// <summary>Encodes one job's outputs, sorted by name; the caller keeps names distinct.</summary>
    public static byte[] Encode(IEnumerable<OutputRecord> outputs)
    {
        var sorted = outputs.OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        using var buffer = new MemoryStream(sorted.Sum(o => o.Name.Length + o.Value.Length + (o.Owner?.Length ?? 0) + 8) + 4);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write7BitEncodedInt(sorted.Count);
            foreach (var output in sorted)
            {
                writer.Write(output.Name);
                writer.Write((byte)((output.IsPublic ? Public : 0) | (output.Owner is null ? 0 : HasOwner)));
                if (output.Owner is not null)
                    writer.Write(output.Owner);
                writer.Write7BitEncodedInt(output.Value.Length);
                writer.Write(output.Value);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Decodes the stored outputs of <paramref name="jobId"/>, in name order.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid encoding (a damaged database).</exception>
    public static List<OutputRecord> Decode(string jobId, byte[] encoded)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(encoded, writable: false), Encoding.UTF8);
            int count = reader.Read7BitEncodedInt();
            // Each output takes at least 3 bytes (empty name, flags, zero length): a count beyond that is damage, not a reason to allocate.
            if (count < 0 || count > encoded.Length / 3)
                throw new InvalidDataException($"count {count}");
            var outputs = new List<OutputRecord>(count);
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                byte flags = reader.ReadByte();
                if ((flags & ~(Public | HasOwner)) != 0)
                    throw new InvalidDataException($"output {i} has flags {flags}");
                string? owner = (flags & HasOwner) != 0 ? reader.ReadString() : null;
                int length = reader.Read7BitEncodedInt();
                if (length < 0 || length > encoded.Length - reader.BaseStream.Position)
                    throw new InvalidDataException($"output {i} claims {length} value bytes");
                outputs.Add(new OutputRecord(jobId, name, (flags & Public) != 0, reader.ReadBytes(length), owner));
            }
            if (reader.BaseStream.Position != encoded.Length)
                throw new InvalidDataException($"{encoded.Length - reader.BaseStream.Position} bytes after the last output");
            return outputs;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"the stored outputs of job '{jobId}' are damaged ({e.Message})", e);
        }
    }
}
