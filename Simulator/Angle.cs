using System.Globalization;

namespace QSim.Simulator;

/// <summary>
/// A gate angle in radians: either a constant, or <c><see cref="Scale"/> · parameter + <see cref="Offset"/></c> for a
/// <see cref="Simulator.Parameter"/> whose value is bound when the circuit runs.
/// </summary>
/// <remarks>
/// <para>A constant angle has <see cref="Parameter"/> = null, <see cref="Scale"/> = 0 and its value in
/// <see cref="Offset"/>; <c>default(Angle)</c> is the constant 0. Doubles and parameters convert implicitly, so
/// <c>builder.RX(0, 0.5)</c> and <c>builder.RX(0, Parameter.Input("x0"))</c> both work; use <see cref="Of"/> for an
/// affine dependence such as <c>π · x</c>.</para>
/// <para>Angles are not checked here: a non-finite constant, scale or offset is rejected with an
/// <see cref="ArgumentException"/> when the gate is added to a <see cref="CircuitBuilder"/>.</para>
/// </remarks>
public readonly struct Angle
{
    private Angle(Parameter? parameter, double scale, double offset)
    {
        Parameter = parameter;
        Scale = scale;
        Offset = offset;
    }

    /// <summary>The parameter the angle depends on, or null for a constant angle.</summary>
    public Parameter? Parameter { get; }

    /// <summary>The factor applied to the parameter's value (0 for a constant angle).</summary>
    public double Scale { get; }

    /// <summary>The constant added to the scaled parameter value; for a constant angle, its value.</summary>
    public double Offset { get; }

    /// <summary>Whether the angle is a constant (depends on no parameter).</summary>
    public bool IsConstant => Parameter is null;

    /// <summary>The value of a constant angle, in radians.</summary>
    /// <exception cref="InvalidOperationException">The angle depends on a parameter.</exception>
    public double Constant => IsConstant
        ? Offset
        : throw new InvalidOperationException($"angle '{this}' depends on {Parameter!.KindText} '{Parameter.Name}' and has no constant value");

    /// <summary>A constant angle.</summary>
    /// <param name="radians">The angle in radians.</param>
    public static implicit operator Angle(double radians) => new(null, 0, radians);

    /// <summary>The angle equal to a parameter's value (scale 1, offset 0).</summary>
    /// <param name="parameter">The parameter.</param>
    /// <exception cref="ArgumentNullException">The parameter is null.</exception>
    public static implicit operator Angle(Parameter parameter) => Of(parameter);

    /// <summary>The angle <c>scale · parameter + offset</c>.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="scale">Factor applied to the parameter's value.</param>
    /// <param name="offset">Constant added, in radians.</param>
    /// <returns>The angle.</returns>
    /// <exception cref="ArgumentNullException">The parameter is null.</exception>
    public static Angle Of(Parameter parameter, double scale = 1, double offset = 0)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return new Angle(parameter, scale, offset);
    }

    /// <summary>The angle's value for a given parameter value: <c>Scale · value + Offset</c>, or the constant.</summary>
    /// <param name="parameterValue">The parameter's value (ignored for a constant angle).</param>
    /// <returns>The angle in radians.</returns>
    public double Evaluate(double parameterValue) => IsConstant ? Offset : Scale * parameterValue + Offset;

    /// <summary>The negated angle (used for adjoints).</summary>
    internal Angle Negated() => new(Parameter, IsConstant ? 0 : -Scale, -Offset);

    /// <summary>Formats the angle: <c>0.5</c>, <c>x0</c>, <c>2*x0 + 0.1</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (Parameter is null) return Format(Offset);
        string head = Scale switch
        {
            1 => Parameter.Name,
            -1 => "-" + Parameter.Name,
            _ => $"{Format(Scale)}*{Parameter.Name}",
        };
        if (Offset == 0) return head;
        return Offset > 0 ? $"{head} + {Format(Offset)}" : $"{head} - {Format(-Offset)}";
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
