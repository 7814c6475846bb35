namespace QSim.Attention.Data;

/// <summary>The task type of a MedMNIST data set, as in the <c>task</c> field of the official <c>INFO</c> table.</summary>
public enum MedMnistTask
{
    /// <summary><c>binary-class</c>: two classes (PneumoniaMNIST, BreastMNIST).</summary>
    BinaryClass,

    /// <summary><c>multi-class</c>: one of K &gt; 2 classes.</summary>
    MultiClass,

    /// <summary><c>multi-label, binary-class</c>: L independent yes/no labels per image (ChestMNIST).</summary>
    MultiLabelBinaryClass,

    /// <summary><c>ordinal-regression</c>: ordered grades, evaluated like multi-class (RetinaMNIST).</summary>
    OrdinalRegression,
}
