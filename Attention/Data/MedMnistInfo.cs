namespace QSim.Attention.Data;

/// <summary>
/// Facts about one official MedMNIST 2D data set at 28 × 28: its file name, MD5 sum(s), task type, channels and class
/// names.
/// </summary>
/// <remarks>
/// <para>Source: the <c>INFO</c> table in <c>medmnist/info.py</c> of https://github.com/MedMNIST/MedMNIST — release
/// 2.1.0 (files on Zenodo record 6496656) and release 3.0.2 (Zenodo record 10519652, "MedMNIST+"). The two releases
/// ship byte-identical 28 × 28 files except OrganAMNIST, OrganCMNIST and OrganSMNIST, which were regenerated for
/// 3.0 (slightly different sample counts); for those, <see cref="Md5Sums"/> lists the 2.x sum first and the 3.x sum
/// second, and a file matching either is accepted.</para>
/// </remarks>
public sealed class MedMnistInfo
{
    private static readonly MedMnistInfo[] Table =
    [
        new("pathmnist", MedMnistTask.MultiClass, 3, ["a8b06965200029087d5bd730944a56c1"],
            ["adipose", "background", "debris", "lymphocytes", "mucus", "smooth muscle", "normal colon mucosa",
             "cancer-associated stroma", "colorectal adenocarcinoma epithelium"]),
        new("chestmnist", MedMnistTask.MultiLabelBinaryClass, 1, ["02c8a6516a18b556561a56cbdd36c4a8"],
            ["atelectasis", "cardiomegaly", "effusion", "infiltration", "mass", "nodule", "pneumonia", "pneumothorax",
             "consolidation", "edema", "emphysema", "fibrosis", "pleural", "hernia"]),
        new("dermamnist", MedMnistTask.MultiClass, 3, ["0744692d530f8e62ec473284d019b0c7"],
            ["actinic keratoses and intraepithelial carcinoma", "basal cell carcinoma", "benign keratosis-like lesions",
             "dermatofibroma", "melanoma", "melanocytic nevi", "vascular lesions"]),
        new("octmnist", MedMnistTask.MultiClass, 1, ["c68d92d5b585d8d81f7112f81e2d0842"],
            ["choroidal neovascularization", "diabetic macular edema", "drusen", "normal"]),
        new("pneumoniamnist", MedMnistTask.BinaryClass, 1, ["28209eda62fecd6e6a2d98b1501bb15f"],
            ["normal", "pneumonia"]),
        new("retinamnist", MedMnistTask.OrdinalRegression, 3, ["bd4c0672f1bba3e3a89f0e4e876791e4"],
            ["0", "1", "2", "3", "4"]),
        new("breastmnist", MedMnistTask.BinaryClass, 1, ["750601b1f35ba3300ea97c75c52ff8f6"],
            ["malignant", "normal, benign"]),
        new("bloodmnist", MedMnistTask.MultiClass, 3, ["7053d0359d879ad8a5505303e11de1dc"],
            ["basophil", "eosinophil", "erythroblast", "immature granulocytes(myelocytes, metamyelocytes and promyelocytes)",
             "lymphocyte", "monocyte", "neutrophil", "platelet"]),
        new("tissuemnist", MedMnistTask.MultiClass, 1, ["ebe78ee8b05294063de985d821c1c34b"],
            ["Collecting Duct, Connecting Tubule", "Distal Convoluted Tubule", "Glomerular endothelial cells",
             "Interstitial endothelial cells", "Leukocytes", "Podocytes", "Proximal Tubule Segments", "Thick Ascending Limb"]),
        new("organamnist", MedMnistTask.MultiClass, 1, ["866b832ed4eeba67bfb9edee1d5544e6", "68e3f8846a6bd62f0c9bf841c0d9eacc"], Organs()),
        new("organcmnist", MedMnistTask.MultiClass, 1, ["0afa5834fb105f7705a7d93372119a21", "b9ceb9546e10131b32923c5bbeaea2b1"], Organs()),
        new("organsmnist", MedMnistTask.MultiClass, 1, ["e5c39f1af030238290b9557d9503af9d", "9ab87b696fb54e2a387ebe992d6ed5f1"], Organs()),
    ];

    private MedMnistInfo(string flag, MedMnistTask task, int channels, string[] md5Sums, string[] classNames)
    {
        Flag = flag;
        Task = task;
        Channels = channels;
        Md5Sums = Array.AsReadOnly(md5Sums);
        ClassNames = Array.AsReadOnly(classNames);
    }

    /// <summary>Every known data set, in the order of the official table.</summary>
    public static IReadOnlyList<MedMnistInfo> All { get; } = Array.AsReadOnly(Table);

    /// <summary>The data set's flag, e.g. <c>pneumoniamnist</c>.</summary>
    public string Flag { get; }

    /// <summary>The official file name of the 28 × 28 version, e.g. <c>pneumoniamnist.npz</c>.</summary>
    public string FileName => Flag + ".npz";

    /// <summary>The task type.</summary>
    public MedMnistTask Task { get; }

    /// <summary>Channels per image: 1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The class names (for a multi-label set, the label names), indexed by label value.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of classes (labels for a multi-label set).</summary>
    public int Classes => ClassNames.Count;

    /// <summary>The official MD5 sums (lowercase hex) of the 28 × 28 file; one, or two where releases 2.x and 3.x differ.</summary>
    public IReadOnlyList<string> Md5Sums { get; }

    /// <summary>Looks a data set up by flag (<c>pneumoniamnist</c>) or official file name (<c>pneumoniamnist.npz</c>), ignoring case.</summary>
    /// <param name="flagOrFileName">The flag or file name (a directory part is ignored).</param>
    /// <returns>The info, or null when the name is not an official one.</returns>
    /// <exception cref="ArgumentNullException">The name is null.</exception>
    public static MedMnistInfo? Find(string flagOrFileName)
    {
        ArgumentNullException.ThrowIfNull(flagOrFileName);
        string name = Path.GetFileName(flagOrFileName);
        return Table.FirstOrDefault(i =>
            string.Equals(i.Flag, name, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(i.FileName, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The data set whose flag starts a file name followed by a non-letter, e.g. <c>pneumoniamnist-trainval.npz</c>.</summary>
    /// <param name="fileName">A file name.</param>
    /// <returns>The info, or null.</returns>
    internal static MedMnistInfo? FindByPrefix(string fileName)
    {
        string name = Path.GetFileName(fileName);
        return Table.FirstOrDefault(i =>
            name.StartsWith(i.Flag, StringComparison.OrdinalIgnoreCase) &&
            (name.Length == i.Flag.Length || !char.IsAsciiLetter(name[i.Flag.Length])));
    }

    /// <summary>The flag.</summary>
    /// <returns><see cref="Flag"/>.</returns>
    public override string ToString() => Flag;

    private static string[] Organs() =>
        ["bladder", "femur-left", "femur-right", "heart", "kidney-left", "kidney-right", "liver", "lung-left", "lung-right", "pancreas", "spleen"];
}
