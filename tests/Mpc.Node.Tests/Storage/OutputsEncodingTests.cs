using FsCheck;
using FsCheck.Xunit;
using Mpc.Node.Storage;

namespace Mpc.Node.Tests.Storage;

public sealed class OutputsEncodingTests
{
    // Names in reverse of their ordinal order, owners on some, values of any length (empty included).
    private static List<OutputRecord> Outputs(byte[][] values, bool[] flags) =>
        values.Select((value, i) => new OutputRecord("job", $"out:{values.Length - i:D3}", flags.ElementAtOrDefault(i),
            value ?? [], i % 3 == 0 ? null : $"owner-{i}")).ToList();

    [Property]
    public bool DecodeReturnsTheOutputsInNameOrder(byte[][] values, bool[] flags)
    {
        var outputs = Outputs(values, flags);
        var decoded = OutputsEncoding.Decode("job", OutputsEncoding.Encode(outputs));
        var expected = outputs.OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        return decoded.Count == expected.Count && decoded.Zip(expected).All(p =>
            p.First.JobId == "job" && p.First.Name == p.Second.Name && p.First.IsPublic == p.Second.IsPublic
            && p.First.Owner == p.Second.Owner && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));
    }

    [Property]
    public bool EveryCutOrExtendedEncodingIsReportedAsDamageOfTheJob(NonEmptyArray<byte[]> values, bool[] flags, byte extra)
    {
        byte[] encoded = OutputsEncoding.Encode(Outputs(values.Get, flags));
        var damaged = Enumerable.Range(0, encoded.Length).Select(length => encoded[..length]).Append([.. encoded, extra]);
        return damaged.All(bytes =>
        {
            var e = Record.Exception(() => OutputsEncoding.Decode("job-7", bytes));
            return e is InvalidDataException && e.Message.Contains("job 'job-7'", StringComparison.Ordinal);
        });
    }

    [Fact]
    public void UnknownFlagsAreDamage()
    {
        byte[] encoded = OutputsEncoding.Encode([new OutputRecord("j", "a", true, [1], null)]);
        encoded[3] = 0x80; // count, name length, 'a', then the flags byte
        Assert.Throws<InvalidDataException>(() => OutputsEncoding.Decode("j", encoded));
    }
}
