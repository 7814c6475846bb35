namespace QSim.Attention.Training;

/// <summary>The training objective of a classifier, which also fixes how many logits the model must output.</summary>
public enum TrainingLoss
{
    /// <summary>Softmax cross-entropy (<see cref="CrossEntropyLoss"/>) on one logit per class; for a binary task, two
    /// logits whose softmax column 1 is the positive-class score.</summary>
    CrossEntropy,

    /// <summary>Sigmoid binary cross-entropy (<see cref="BinaryCrossEntropyLoss"/>) on one logit; binary tasks only. The
    /// sigmoid of the logit is the positive-class score.</summary>
    BinaryCrossEntropy,
}
