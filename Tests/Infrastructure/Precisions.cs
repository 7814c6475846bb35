namespace QSim.Tests;

/// <summary>
/// Test-case sources that run a generic test method once per precision (<see cref="float"/>, <see cref="double"/>).
/// </summary>
/// <remarks>
/// <code>
/// [TestCaseSource(typeof(Precisions), nameof(Precisions.Both))]
/// public void Foo_Condition_Expected&lt;T&gt;() where T : unmanaged { … }
///
/// private static IEnumerable&lt;TestCaseData&gt; QubitCounts() =&gt; Precisions.Each(1, 2, 3);
/// [TestCaseSource(nameof(QubitCounts))]
/// public void Bar_Condition_Expected&lt;T&gt;(int qubits) where T : unmanaged { … }
/// </code>
/// NUnit names the cases <c>Foo_Condition_Expected&lt;Single&gt;()</c>, <c>Bar_Condition_Expected&lt;Double&gt;(3)</c>.
/// </remarks>
public static class Precisions
{
    /// <summary>The element types every state kernel is tested in.</summary>
    public static IReadOnlyList<Type> Types { get; } = [typeof(float), typeof(double)];

    /// <summary>One parameterless case per precision.</summary>
    public static IEnumerable<TestCaseData> Both => Rows([]);

    /// <summary>One single-argument case per value and precision.</summary>
    /// <param name="values">Argument values.</param>
    /// <returns>The cases.</returns>
    public static IEnumerable<TestCaseData> Each(params object[] values) => Rows(values.Select(v => new[] { v }).ToArray());

    /// <summary>One case per argument row and precision.</summary>
    /// <param name="rows">Argument rows; an empty list means one parameterless case.</param>
    /// <returns>The cases.</returns>
    public static IEnumerable<TestCaseData> Rows(params object[][] rows)
    {
        if (rows.Length == 0) rows = [[]];
        foreach (Type type in Types)
        {
            foreach (object[] row in rows)
            {
                yield return new TestCaseData(row) { TypeArgs = [type] };
            }
        }
    }
}
