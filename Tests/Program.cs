using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using QSim.Kernels;

namespace QSim.Tests;

/// <summary>
/// A console runner for machines without the .NET SDK (the GPU machine gets a self-contained publish of this
/// project, see .gpu/publish.sh): runs this assembly's tests with NUnit's own runner, prints each failure and the
/// reasons tests were skipped, and ends with "N passed, N failed, N skipped". <c>dotnet test</c> does not use it.
/// </summary>
/// <remarks>
/// Usage: <c>QSim.Tests [--where REGEX] [--list]</c>. <c>--where</c> keeps the tests whose full name matches the
/// regular expression (e.g. <c>Cuda</c>); <c>--list</c> prints the selected tests without running them. Exit code
/// 0 when every selected test passed or was skipped, 1 when one failed, 2 when none ran, 64 on bad arguments.
/// </remarks>
public static partial class Program
{
    /// <summary>Runs the tests.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args)
    {
        string? where = null;
        bool list = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--where" when i + 1 < args.Length:
                    where = args[++i];
                    break;
                case "--list":
                    list = true;
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: QSim.Tests [--where REGEX] [--list]");
                    return 64;
            }
        }

        PrintAccelerators();
        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        var settings = new Dictionary<string, object> { [NUnit.FrameworkPackageSettings.WorkDirectory] = AppContext.BaseDirectory };
        runner.Load(Assembly.GetExecutingAssembly(), settings);
        ITestFilter filter = where is null
            ? TestFilter.Empty
            : TestFilter.FromXml($"<filter><test re=\"1\">{System.Security.SecurityElement.Escape(where)}</test></filter>");
        if (list)
        {
            foreach (var test in Leaves(runner.ExploreTests(filter))) Console.WriteLine(test.FullName);
            return 0;
        }

        // NUnit redirects Console.Out while tests run: report on the process's own standard output.
        var listener = new ProgressListener(Console.Out);
        ITestResult result = runner.Run(listener, filter);
        Console.WriteLine();
        int passed = result.PassCount + result.WarningCount, failed = result.FailCount, skipped = result.SkipCount + result.InconclusiveCount;
        foreach (var (reason, count) in listener.SkipReasons.OrderByDescending(kv => kv.Value))
        {
            Console.WriteLine($"skipped {count,5}: {reason}");
        }
        Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
        return failed > 0 ? 1 : passed + skipped == 0 ? 2 : 0;
    }

    private static void PrintAccelerators()
    {
        using var context = AcceleratorContext.Create();
        foreach (var a in context.Accelerators) Console.WriteLine($"accelerator: {a}");
        foreach (string why in context.Unavailable) Console.WriteLine($"unavailable: {why}");
    }

    private static IEnumerable<ITest> Leaves(ITest test) =>
        test.IsSuite ? test.Tests.SelectMany(Leaves) : [test];

    /// <summary>Prints a dot per passed test and the details of every failure; collects the skip reasons.</summary>
    private sealed partial class ProgressListener(TextWriter output) : ITestListener
    {
        private int _column;

        public Dictionary<string, int> SkipReasons { get; } = [];

        public void TestStarted(ITest test) { }

        public void TestFinished(ITestResult result)
        {
            if (result.Test.IsSuite)
            {
                return;
            }
            switch (result.ResultState.Status)
            {
                case TestStatus.Passed or TestStatus.Warning:
                    Progress('.');
                    break;
                case TestStatus.Failed:
                    Progress('F');
                    output.WriteLine();
                    output.WriteLine($"FAILED {result.FullName}");
                    output.WriteLine($"  {result.Message?.Trim().Replace("\n", "\n  ")}");
                    if (!string.IsNullOrWhiteSpace(result.StackTrace)) output.WriteLine($"  {result.StackTrace.Trim().Replace("\n", "\n  ")}");
                    _column = 0;
                    break;
                default:
                    Progress('s');
                    string reason = Digits().Replace((result.Message ?? "(no reason)").Trim().Split('\n')[0], "#");
                    SkipReasons[reason] = SkipReasons.GetValueOrDefault(reason) + 1;
                    break;
            }
        }

        public void TestOutput(TestOutput testOutput) { }

        public void SendMessage(TestMessage message) { }

        private void Progress(char c)
        {
            output.Write(c);
            if (++_column == 100)
            {
                output.WriteLine();
                _column = 0;
            }
        }

        [GeneratedRegex(@"(?<=\bsample |\bqubit )\d+")]
        private static partial Regex Digits();
    }
}
