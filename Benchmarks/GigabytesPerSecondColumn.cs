using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace QSim.Benchmarks;

/// <summary>
/// A report column "GB/s": bytes moved per operation (as the benchmark class declares them) divided by the mean
/// time of the operation, in 10^9 bytes per second.
/// </summary>
/// <remarks>A benchmark class opts in with a config that adds this column with its own byte count, e.g.
/// <see cref="GatePassBenchmarks.BytesMoved"/>.</remarks>
public sealed class GigabytesPerSecondColumn : IColumn
{
    private readonly Func<BenchmarkCase, long?> _bytesPerOperation;

    /// <summary>Creates the column.</summary>
    /// <param name="bytesPerOperation">Bytes read plus bytes written by one invocation of a case, or null where it does not apply.</param>
    public GigabytesPerSecondColumn(Func<BenchmarkCase, long?> bytesPerOperation)
    {
        ArgumentNullException.ThrowIfNull(bytesPerOperation);
        _bytesPerOperation = bytesPerOperation;
    }

    /// <inheritdoc/>
    public string Id => "GigabytesPerSecond";

    /// <inheritdoc/>
    public string ColumnName => "GB/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Baseline;

    /// <inheritdoc/>
    public int PriorityInCategory => 10;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => "Bytes read + bytes written per operation / mean time, in 10^9 bytes per second";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? value = Compute(summary, benchmarkCase);
        return value is double v ? v.ToString("0.0", style.CultureInfo) : "-";
    }

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public override string ToString() => ColumnName;

    private double? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        long? bytes = _bytesPerOperation(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (bytes is not long b || meanNs is not double ns || !(ns > 0)) return null;
        return b / ns; // bytes per nanosecond = 10^9 bytes per second
    }
}
