namespace QSim.Cli;

/// <summary>Resolves the <c>--data</c> shorthand for the repository's PneumoniaMNIST file.</summary>
internal static class DataPaths
{
    public const string PneumoniaName = "pneumoniamnist";
    public const string PneumoniaFile = "pneumoniamnist-trainval.npz";

    /// <summary>
    /// <c>pneumoniamnist</c> (or <c>pneumonia</c>) becomes the first <c>shared/data/pneumoniamnist-trainval.npz</c>
    /// found walking up from the working directory or from the executable's directory (the repository is cloned at
    /// <c>X/&lt;repo&gt;</c> with <c>X/shared</c> beside it); anything else is returned unchanged.
    /// </summary>
    public static string Resolve(string data)
    {
        string name = data.Trim();
        if (!name.Equals(PneumoniaName, StringComparison.OrdinalIgnoreCase) && !name.Equals("pneumonia", StringComparison.OrdinalIgnoreCase))
        {
            return data;
        }
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data", PneumoniaFile);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException(
            $"{PneumoniaFile} was not found in shared/data of any ancestor of {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}; pass its path with --data",
            PneumoniaFile);
    }
}
