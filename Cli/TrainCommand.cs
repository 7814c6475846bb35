using System.CommandLine;
using QSim.Attention;
using QSim.Attention.Training;

namespace QSim.Cli;

/// <summary>The <c>train</c> command: options → <see cref="TrainSettings"/> → <see cref="TrainJob"/>.</summary>
/// <remarks>Every option is optional: an unset option takes the preset's value (<c>--preset</c>), else the default of
/// <see cref="TrainSettings"/>.</remarks>
internal static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string?>("--preset") { Description = $"Start from a named configuration: {TrainSettings.TcBenchmarkPreset} (QViT patch 14, dim 6, 2 heads, 4 blocks, MLP 3, quantum attention and MLP, 30 epochs on Fashion-MNIST)" };
        var data = new Option<string?>("--data", "-d") { Description = "fashion-mnist, pneumoniamnist (finds shared/data/pneumoniamnist-trainval.npz), or the path of a MedMNIST .npz file" };
        var model = new Option<string?>("--model", "-m") { Description = "vit (classical) or qvit (quantum attention, model width = qubits)" };
        model.AcceptOnlyFromAmong("vit", "qvit");
        var dim = new Option<int?>("--dim", "--qubits") { Description = "Model width; for qvit the number of qubits (default 8)" };
        var heads = new Option<int?>("--heads") { Description = "Attention heads (default 2)" };
        var depth = new Option<int?>("--depth") { Description = "Transformer blocks (default 1)" };
        var patch = new Option<int?>("--patch") { Description = "Patch size; must divide the image size (default 7)" };
        var mlp = new Option<int?>("--mlp") { Description = "MLP hidden width (default 8; unused by a quantum MLP)" };
        var quantumMlp = new Option<string?>("--quantum-mlp") { Description = "qvit MLP: linear (GELU(QuantumLinear(dim)), default), bottleneck (Linear(dim→mlp) → QuantumLinear(mlp) → GELU → Linear(mlp→dim)) or classical" };
        quantumMlp.AcceptOnlyFromAmong("linear", "bottleneck", "classical");
        var attention = new Option<string?>("--attention") { Description = "qvit attention variant: projection (default) or gaussian" };
        attention.AcceptOnlyFromAmong("projection", "gaussian");
        var encoding = new Option<string?>("--encoding") { Description = "qvit circuits: rotation axis of the encoding and weights, rx or ry (default ry)" };
        encoding.AcceptOnlyFromAmong("rx", "ry");
        var qlayers = new Option<int?>("--qlayers") { Description = "qvit circuits: trainable layers per circuit (default 1)" };
        var entangler = new Option<string?>("--entangler") { Description = "qvit circuits: ring (default), chain or all" };
        entangler.AcceptOnlyFromAmong("ring", "chain", "all");
        var hadamard = new Option<bool>("--hadamard") { Description = "qvit circuits: H on every qubit before the encoding" };
        var reupload = new Option<bool>("--reupload") { Description = "qvit circuits: re-encode the features before every layer after the first" };
        var epochs = new Option<int?>("--epochs", "-e") { Description = "Training epochs; with --kd, the distillation epochs of the student (default 10)" };
        var batchSize = new Option<int?>("--batch-size", "-b") { Description = "Mini-batch size (default 64)" };
        var lr = new Option<double?>("--lr") { Description = "Peak AdamW learning rate (default 3e-3)" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW decoupled weight decay (default 0.01)" };
        var warmup = new Option<double?>("--warmup") { Description = "Share of steps spent in linear warm-up before the cosine decay (default 0.1)" };
        var clip = new Option<double?>("--clip") { Description = "Global gradient-norm bound; 0 disables clipping (default 1)" };
        var loss = new Option<string?>("--loss") { Description = "ce (cross-entropy, one logit per class) or bce (binary data only, one logit) (default ce)" };
        loss.AcceptOnlyFromAmong("ce", "bce");
        var seed = new Option<int?>("--seed", "-s") { Description = "Seed of the weights, batch order and subsampling (default 0)" };
        var kd = new Option<bool>("--kd") { Description = "Knowledge distillation: train a classical teacher, pre-train the model on its logits, then fine-tune with the plain loss" };
        var teacherEpochs = new Option<int?>("--teacher-epochs") { Description = "KD: teacher training epochs (default 10)" };
        var teacherDim = new Option<int?>("--teacher-dim") { Description = "KD: teacher width (default 16)" };
        var teacherHeads = new Option<int?>("--teacher-heads") { Description = "KD: teacher heads (default 4)" };
        var teacherDepth = new Option<int?>("--teacher-depth") { Description = "KD: teacher blocks (default 2)" };
        var teacherMlp = new Option<int?>("--teacher-mlp") { Description = "KD: teacher MLP hidden width (default 32)" };
        var fineTuneEpochs = new Option<int?>("--finetune-epochs") { Description = "KD: fine-tuning epochs with the plain loss (default 3)" };
        var fineTuneLr = new Option<double?>("--finetune-lr") { Description = "KD: fine-tuning learning rate (default 1e-3)" };
        var temperature = new Option<double?>("--temperature") { Description = "KD: softmax temperature τ (default 4)" };
        var alpha = new Option<double?>("--alpha") { Description = "KD: weight α of the teacher term (default 0.7)" };
        var accelerator = new Option<string?>("--accelerator", "-a") { Description = "Where quantum layers simulate circuits: cpu, opencl, cuda, best, or part of a device name (default cpu)" };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Use at most this many training images (stratified subsample)" };
        var valLimit = new Option<int?>("--val-limit") { Description = "Use at most this many validation images (Fashion-MNIST: size of the hold-out, default 6,000)" };
        var testLimit = new Option<int?>("--test-limit") { Description = "Use at most this many test images" };
        var output = new Option<string?>("--output", "-o") { Description = "Directory for the best weights (*.qsimw) and summary.json" };
        var threads = new Option<int?>("--threads", "-t") { Description = "Data-parallel workers: each batch is split over this many model replicas on parallel threads (default 1; deterministic for a fixed count)" };
        var noHoldOut = new Option<bool>("--no-holdout") { Description = "Fashion-MNIST: train on all 60,000 training images and validate on the official test images (the tc-benchmark preset does this)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No per-batch progress line on stderr" };

        var command = new Command("train", "Train a ViT or QViT classifier on PneumoniaMNIST or Fashion-MNIST (optionally by knowledge distillation) and report ACC/AUC, parameters, FLOPs and timings")
        {
            preset, data, model, dim, heads, depth, patch, mlp, quantumMlp, attention, encoding, qlayers, entangler, hadamard, reupload, epochs, batchSize, lr, weightDecay, warmup, clip, loss, seed,
            kd, teacherEpochs, teacherDim, teacherHeads, teacherDepth, teacherMlp, fineTuneEpochs, fineTuneLr, temperature, alpha,
            accelerator, trainLimit, valLimit, testLimit, noHoldOut, output, threads, quiet,
        };
        command.SetAction(result =>
        {
            TrainSettings baseline;
            try
            {
                baseline = TrainSettings.FromPreset(result.GetValue(preset));
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            string? modelName = result.GetValue(model);
            string? lossName = result.GetValue(loss);
            var settings = baseline with
            {
                Data = result.GetValue(data) ?? baseline.Data,
                Model = modelName is null ? baseline.Model : modelName == "qvit" ? ModelKind.QuantumVisionTransformer : ModelKind.VisionTransformer,
                Dim = result.GetValue(dim) ?? baseline.Dim,
                Heads = result.GetValue(heads) ?? baseline.Heads,
                Depth = result.GetValue(depth) ?? baseline.Depth,
                Patch = result.GetValue(patch) ?? baseline.Patch,
                Mlp = result.GetValue(mlp) ?? baseline.Mlp,
                QuantumMlp = result.GetValue(quantumMlp) switch
                {
                    "linear" => QuantumMlpStyle.QuantumLinear,
                    "bottleneck" => QuantumMlpStyle.Bottleneck,
                    "classical" => QuantumMlpStyle.Classical,
                    _ => baseline.QuantumMlp,
                },
                Attention = result.GetValue(attention) switch
                {
                    "projection" => QuantumAttentionVariant.Projection,
                    "gaussian" => QuantumAttentionVariant.Gaussian,
                    _ => baseline.Attention,
                },
                Quantum = baseline.Quantum with
                {
                    Encoding = result.GetValue(encoding) switch
                    {
                        "rx" => QuantumEncoding.RX,
                        "ry" => QuantumEncoding.RY,
                        _ => baseline.Quantum.Encoding,
                    },
                    Layers = result.GetValue(qlayers) ?? baseline.Quantum.Layers,
                    Entangler = result.GetValue(entangler) switch
                    {
                        "ring" => QuantumEntangler.Ring,
                        "chain" => QuantumEntangler.Chain,
                        "all" => QuantumEntangler.AllToAll,
                        _ => baseline.Quantum.Entangler,
                    },
                    HadamardFirst = baseline.Quantum.HadamardFirst || result.GetValue(hadamard),
                    Reuploading = baseline.Quantum.Reuploading || result.GetValue(reupload),
                },
                Epochs = result.GetValue(epochs) ?? baseline.Epochs,
                BatchSize = result.GetValue(batchSize) ?? baseline.BatchSize,
                LearningRate = result.GetValue(lr) ?? baseline.LearningRate,
                WeightDecay = result.GetValue(weightDecay) ?? baseline.WeightDecay,
                Warmup = result.GetValue(warmup) ?? baseline.Warmup,
                Clip = result.GetValue(clip) ?? baseline.Clip,
                Loss = lossName is null ? baseline.Loss : lossName == "bce" ? TrainingLoss.BinaryCrossEntropy : TrainingLoss.CrossEntropy,
                Seed = result.GetValue(seed) ?? baseline.Seed,
                Distill = baseline.Distill || result.GetValue(kd),
                TeacherEpochs = result.GetValue(teacherEpochs) ?? baseline.TeacherEpochs,
                TeacherDim = result.GetValue(teacherDim) ?? baseline.TeacherDim,
                TeacherHeads = result.GetValue(teacherHeads) ?? baseline.TeacherHeads,
                TeacherDepth = result.GetValue(teacherDepth) ?? baseline.TeacherDepth,
                TeacherMlp = result.GetValue(teacherMlp) ?? baseline.TeacherMlp,
                FineTuneEpochs = result.GetValue(fineTuneEpochs) ?? baseline.FineTuneEpochs,
                FineTuneLearningRate = result.GetValue(fineTuneLr) ?? baseline.FineTuneLearningRate,
                Temperature = result.GetValue(temperature) ?? baseline.Temperature,
                Alpha = result.GetValue(alpha) ?? baseline.Alpha,
                Accelerator = result.GetValue(accelerator) ?? baseline.Accelerator,
                TrainLimit = result.GetValue(trainLimit) ?? baseline.TrainLimit,
                ValLimit = result.GetValue(valLimit) ?? baseline.ValLimit,
                TestLimit = result.GetValue(testLimit) ?? baseline.TestLimit,
                HoldOut = baseline.HoldOut && !result.GetValue(noHoldOut),
                Output = result.GetValue(output) ?? baseline.Output,
                Progress = baseline.Progress && !result.GetValue(quiet),
                Threads = result.GetValue(threads) ?? baseline.Threads,
            };
            return TrainJob.Run(settings, Console.Out);
        });
        return command;
    }
}
