namespace QSim.Attention.Training;

/// <summary>A classifier's scores on one labelled image set.</summary>
/// <param name="Count">The number of images.</param>
/// <param name="Loss">The mean loss of the training objective (plain cross-entropy or binary cross-entropy, never the
/// distillation loss).</param>
/// <param name="Accuracy">Arg-max accuracy (threshold 0.5 on the sigmoid for one logit), as
/// <see cref="Data.Metrics.Accuracy{T}(int[], T[,], double)"/>.</param>
/// <param name="Auc">ROC AUC as the MedMNIST evaluator computes it (<see cref="Data.Metrics.Auc{T}"/>): the
/// positive-class score for a binary task, the one-vs-rest mean over classes otherwise.</param>
public sealed record Evaluation(int Count, double Loss, double Accuracy, double Auc);
