namespace QSim.Simulator;

/// <summary>How <see cref="Simulator{T}"/> differentiates expectation values.</summary>
public enum GradientMethod
{
    /// <summary>
    /// Adjoint differentiation (Jones &amp; Gacon 2020): one forward run and one backward sweep per seed, exact up
    /// to rounding. The default.
    /// </summary>
    Adjoint,

    /// <summary>
    /// The parameter-shift rule: two runs per parameterised angle (four for controlled rotations), exact up to
    /// rounding and independent of the adjoint method; also what hardware would use.
    /// </summary>
    ParameterShift,
}
