namespace SipTrunk.Benchmarks;

/// <summary>Finds the reference messages: ../shared/bench when present (the canonical copy), else the copy in Data/.</summary>
internal static class BenchData
{
    public static byte[] Load(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var shared = Path.Combine(directory.FullName, "..", "shared", "bench", name);
            if (File.Exists(Path.Combine(directory.FullName, "SipTrunk.sln")) && File.Exists(shared))
            {
                return File.ReadAllBytes(shared);
            }
        }

        return File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", name));
    }
}
