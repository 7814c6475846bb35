namespace QSim.Simulator;

/// <summary>Numerical tolerances of the simulator, in one place.</summary>
internal static class Tolerances
{
    /// <summary>Largest entry of |U†U − I| accepted for a user-supplied unitary.</summary>
    internal const double Unitarity = 1e-9;
}
