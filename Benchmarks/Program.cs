using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace QSim.Benchmarks;

/// <summary>
/// Entry point of the QSim benchmark suites. Arguments are BenchmarkDotNet's, e.g.
/// <c>dotnet run -c Release -- --filter '*GatePass*'</c>; reports go to <c>BenchmarkDotNet.Artifacts/results</c>
/// as GitHub Markdown, CSV, HTML and JSON.
/// </summary>
public static class Program
{
    /// <summary>
    /// The suite's default job: one process launch, 3 warm-up and 10 measured iterations. It is used only when the
    /// command line names no job (<c>--job Dry</c>, <c>--job Short</c>, …) and the benchmark class declares none.
    /// </summary>
    public static Job DefaultJob { get; } = Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(10);

    /// <summary>Runs the benchmarks selected by <paramref name="args"/> (or asks which, when none are given).</summary>
    /// <param name="args">BenchmarkDotNet command-line arguments.</param>
    /// <returns>0 when every selected benchmark ran; 1 otherwise.</returns>
    public static int Main(string[] args)
    {
        // DefaultConfig already exports GitHub Markdown, CSV and HTML; JSON (with every measurement) is added for plots.
        IConfig config = DefaultConfig.Instance.AddExporter(JsonExporter.Full);
        // A job in the config would run beside (and, marked default, instead of) a job named on the command line,
        // so add the suite's job only when none is named there.
        bool jobOnCommandLine = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
        if (!jobOnCommandLine) config = config.AddJob(DefaultJob);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
