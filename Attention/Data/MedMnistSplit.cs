namespace QSim.Attention.Data;

/// <summary>The splits a MedMNIST <c>.npz</c> may hold, as arrays <c>{split}_images</c> and <c>{split}_labels</c>.</summary>
public enum MedMnistSplit
{
    /// <summary><c>train_images</c> / <c>train_labels</c>.</summary>
    Train,

    /// <summary><c>val_images</c> / <c>val_labels</c>.</summary>
    Val,

    /// <summary><c>test_images</c> / <c>test_labels</c>.</summary>
    Test,
}
