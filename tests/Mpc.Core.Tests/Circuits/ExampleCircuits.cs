namespace Mpc.Core.Tests.Circuits;

/// <summary>Finds the repository's <c>circuits/</c> folder from the test binaries.</summary>
public static class ExampleCircuits
{
    /// <summary>Absolute path of <c>circuits/</c>.</summary>
    public static string Directory { get; } = Find();

    /// <summary>Every <c>*.ir</c> file name (without folder) in <c>circuits/</c>, sorted.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        System.IO.Directory.GetFiles(Directory, "*.ir").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();

    /// <summary><see cref="FileNames"/> for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Files() => new(FileNames);

    /// <summary>Path of the expectation beside <paramref name="irFile"/>.</summary>
    public static string ExpectationFor(string irFile) =>
        Path.Combine(Directory, Path.GetFileNameWithoutExtension(irFile) + ".expect.json");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "circuits");
            if (File.Exists(Path.Combine(dir.FullName, "MpcCompute.sln")) && System.IO.Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"No circuits/ folder above {AppContext.BaseDirectory}.");
    }
}
