namespace QSim.Attention.Training;

/// <summary>
/// Knowledge distillation in three stages: train a (larger, classical) teacher; pre-train the student with
/// <see cref="DistillationLoss"/> against the teacher's logits; fine-tune the student with the plain loss.
/// </summary>
/// <remarks>
/// <para>Every stage is a <see cref="Trainer.Train"/> run with its own <see cref="TrainingOptions"/> and keeps its
/// best-validation-AUC weights. The fine-tuning stage starts from the distilled weights, which stay a candidate
/// (epoch 0), so fine-tuning never ends worse on validation than distillation alone.</para>
/// <para>Deterministic for fixed model seeds and stage seeds.</para>
/// </remarks>
public static class DistillationPipeline
{
    /// <summary>Trains the teacher, then distils it into the student and fine-tunes the student.</summary>
    /// <param name="teacher">The untrained teacher.</param>
    /// <param name="student">The untrained student (same logit count as the teacher).</param>
    /// <param name="data">The splits (the test split, if any, is scored at the end of each stage).</param>
    /// <param name="options">The stages' settings.</param>
    /// <returns>The three stages' reports.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The teacher and student are the same instance, the stages' losses differ,
    /// τ or α is out of range, or a stage's run rejects its arguments (see <see cref="Trainer.Train"/>).</exception>
    public static DistillationReport Run(Module<float> teacher, Module<float> student, TrainingData data, DistillationPipelineOptions options)
    {
        Validate(teacher, student, data, options);
        TrainingReport teacherReport = Trainer.Train(teacher, data.Train, data.Val, data.Test, options.Teacher);
        return DistillCore(teacher, student, data, options, teacherReport);
    }

    /// <summary>Distils an already trained teacher into the student and fine-tunes the student
    /// (<see cref="DistillationPipelineOptions.Teacher"/> is unused).</summary>
    /// <param name="teacher">The trained teacher.</param>
    /// <param name="student">The untrained student (same logit count as the teacher).</param>
    /// <param name="data">The splits.</param>
    /// <param name="options">The stages' settings.</param>
    /// <returns>The reports; <see cref="DistillationReport.Teacher"/> is null.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Run"/>.</exception>
    public static DistillationReport Distill(Module<float> teacher, Module<float> student, TrainingData data, DistillationPipelineOptions options)
    {
        Validate(teacher, student, data, options);
        return DistillCore(teacher, student, data, options, null);
    }

    private static DistillationReport DistillCore(Module<float> teacher, Module<float> student, TrainingData data, DistillationPipelineOptions options, TrainingReport? teacherReport)
    {
        TrainingOptions distill = options.Distillation with
        {
            Distillation = new DistillationOptions(teacher) { Temperature = options.Temperature, Alpha = options.Alpha },
        };
        TrainingReport distillReport = Trainer.Train(student, data.Train, data.Val, data.Test, distill);
        TrainingOptions fineTune = options.FineTune with { Distillation = null, InitialWeightsAreCandidate = true };
        TrainingReport fineTuneReport = Trainer.Train(student, data.Train, data.Val, data.Test, fineTune);
        return new DistillationReport(teacherReport, distillReport, fineTuneReport);
    }

    private static void Validate(Module<float> teacher, Module<float> student, TrainingData data, DistillationPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Teacher, "options.Teacher");
        ArgumentNullException.ThrowIfNull(options.Distillation, "options.Distillation");
        ArgumentNullException.ThrowIfNull(options.FineTune, "options.FineTune");
        if (ReferenceEquals(teacher, student))
        {
            throw new ArgumentException("the teacher and the student are the same module instance", nameof(student));
        }
        if (options.Teacher.Loss != options.Distillation.Loss || options.FineTune.Loss != options.Distillation.Loss)
        {
            throw new ArgumentException(
                $"the stages use different losses (teacher {options.Teacher.Loss}, distillation {options.Distillation.Loss}, fine-tune {options.FineTune.Loss}); expected one loss for all",
                nameof(options));
        }
        if (!(options.Temperature > 0) || !double.IsFinite(options.Temperature))
        {
            throw new ArgumentException($"DistillationPipelineOptions.Temperature is {options.Temperature}; expected a positive finite number", nameof(options));
        }
        if (!(options.Alpha >= 0 && options.Alpha <= 1))
        {
            throw new ArgumentException($"DistillationPipelineOptions.Alpha is {options.Alpha}; expected a value in [0, 1]", nameof(options));
        }
        options.Teacher.Validate();
        options.Distillation.Validate();
        options.FineTune.Validate();
    }
}
