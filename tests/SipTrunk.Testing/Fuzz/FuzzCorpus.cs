namespace SipTrunk.Testing.Fuzz;

/// <summary>The fuzz seed corpus in <c>tests/corpus/</c> of the source tree (shared with bench/fuzz.sh, so not copied per assembly).</summary>
public static class FuzzCorpus
{
    /// <summary>Every file of <c>tests/corpus/<paramref name="name"/></c> in name order, found by walking up from the test assembly.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Load(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "corpus", name);
            if (Directory.Exists(candidate))
            {
                return [.. Directory.GetFiles(candidate).Order(StringComparer.Ordinal).Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)))];
            }
        }

        throw new DirectoryNotFoundException($"tests/corpus/{name} not found above {AppContext.BaseDirectory}");
    }
}
