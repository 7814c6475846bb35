using System.Diagnostics;
using QSim.Attention.Data;

namespace QSim.Attention.Training;

/// <summary>
/// Trains and evaluates image classifiers (<see cref="Module{T}"/> of <see cref="float"/> mapping (batch, C, H, W)
/// images to (batch, logits)) on <see cref="ImageSet"/>s: AdamW with a warm-up cosine schedule and gradient
/// clipping, cross-entropy, binary cross-entropy or knowledge distillation, validation ACC/AUC after every epoch,
/// best-validation-AUC checkpointing and a final test evaluation.
/// </summary>
/// <remarks>
/// <para>A run is deterministic for a fixed model seed and <see cref="TrainingOptions.Seed"/> on one machine: the
/// mini-batch order depends only on (seed, epoch), and the layers' parallel paths do not change results.</para>
/// <para>Metrics follow the MedMNIST evaluator (<see cref="Metrics"/>): the scores are the softmax of the logits (or
/// the sigmoid of a single logit), AUC uses the positive-class score for a binary task and the one-vs-rest mean
/// otherwise.</para>
/// </remarks>
public static class Trainer
{
    /// <summary>Trains a classifier, keeps the best-validation-AUC weights, restores them and scores them.</summary>
    /// <param name="model">The classifier; it must output one logit per class for
    /// <see cref="TrainingLoss.CrossEntropy"/> and one logit for <see cref="TrainingLoss.BinaryCrossEntropy"/>. It is
    /// left in evaluation mode holding the best weights.</param>
    /// <param name="train">The training images.</param>
    /// <param name="val">The validation images (every class must occur, or AUC is undefined).</param>
    /// <param name="test">Held-out test images scored once at the end, or null when the data has no test split.</param>
    /// <param name="options">The settings.</param>
    /// <returns>The per-epoch records, the restored model's validation (and test) scores, sizes and timings.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range; a set is empty; the sets differ in image size,
    /// channels or class count; a validation or test class has no image; the model's logit count does not fit the
    /// classes and the loss (e.g. labels 0 … 9 for a 2-logit model); or a teacher's logit count differs from the
    /// model's.</exception>
    /// <exception cref="IOException">The checkpoint file cannot be written.</exception>
    /// <remarks>With <see cref="TrainingOptions.Replicas"/> &gt; 1 the replicas are built (and checked to have the
    /// model's parameter names and shapes) before training starts.</remarks>
    public static TrainingReport Train(Module<float> model, ImageSet train, ImageSet val, ImageSet? test, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(val);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckSet(train, "train", train);
        CheckSet(val, "val", train);
        RequireEveryClass(val, "val");
        if (test is not null)
        {
            CheckSet(test, "test", train);
            RequireEveryClass(test, "test");
        }
        int logits = CheckLogits(model, train, options.Loss, "model");
        if (options.Distillation is { } distillation)
        {
            int teacherLogits = CheckLogits(distillation.Teacher, train, options.Loss, "teacher");
            if (teacherLogits != logits)
            {
                throw new ArgumentException($"the teacher outputs {teacherLogits} logits but the student outputs {logits}; distillation needs the same number", nameof(options));
            }
        }
        var group = new ReplicaGroup(model, options.Replicas, options.ReplicaFactory);
        return TrainCore(group, train, val, test, options, logits);
    }

    /// <summary>Scores a classifier on a labelled set (in evaluation mode, which it leaves the model in).</summary>
    /// <param name="model">The classifier.</param>
    /// <param name="set">The images (every class must occur, or AUC is undefined).</param>
    /// <param name="loss">The objective the model was trained with (it decides how logits become scores).</param>
    /// <param name="batchSize">Images per forward pass (≥ 1).</param>
    /// <returns>Loss, accuracy and AUC.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1.</exception>
    /// <exception cref="ArgumentException">The set is empty or lacks a class, or the model's logit count does not fit
    /// the classes and the loss.</exception>
    public static Evaluation Evaluate(Module<float> model, ImageSet set, TrainingLoss loss = TrainingLoss.CrossEntropy, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (!Enum.IsDefined(loss)) throw new ArgumentException($"loss {(int)loss} is not a TrainingLoss value", nameof(loss));
        CheckSet(set, "set", set);
        RequireEveryClass(set, "set");
        int logits = CheckLogits(model, set, loss, "model");
        return EvaluateCore(new ReplicaGroup(model, 1, null), set, loss, batchSize, logits);
    }

    private static TrainingReport TrainCore(ReplicaGroup group, ImageSet train, ImageSet val, ImageSet? test, TrainingOptions options, int logits)
    {
        var wall = Stopwatch.StartNew();
        Module<float> model = group.Workers[0];
        float[]? teacherLogits = options.Distillation is { } d ? Logits(new ReplicaGroup(d.Teacher, 1, null), train, options.EvaluationBatchSize, logits) : null;
        var distillationLoss = options.Distillation is { } dd ? new DistillationLoss(dd.Temperature, dd.Alpha) : null;

        var loader = new DataLoader(train, options.BatchSize, shuffle: true, seed: options.Seed);
        int stepsPerEpoch = loader.BatchesPerEpoch;
        int totalSteps = options.Epochs * stepsPerEpoch;
        int warmup = (int)Math.Round(options.WarmupFraction * totalSteps, MidpointRounding.AwayFromZero);
        var schedule = new WarmupCosineSchedule(options.LearningRate, Math.Min(warmup, totalSteps), totalSteps, options.MinLearningRate);
        var optimizer = new AdamW<float>(model.Parameters(), options.LearningRate, weightDecay: options.WeightDecay);
        TrainingLoss objective = options.Loss;
        var checkpoint = new Checkpoint(options.CheckpointPath);

        var epochs = new List<EpochResult>();
        double bestAuc = double.NegativeInfinity;
        int bestEpoch = 0;
        if (options.InitialWeightsAreCandidate)
        {
            var start = Stopwatch.StartNew();
            Evaluation initial = EvaluateCore(group, val, objective, options.EvaluationBatchSize, logits);
            checkpoint.Save(model);
            bestAuc = initial.Auc;
            var record = new EpochResult(0, double.NaN, initial, 0, start.Elapsed.TotalSeconds, IsBest: true);
            epochs.Add(record);
            options.EpochCompleted?.Invoke(record);
        }

        int channels = train.Channels, height = train.Height, width = train.Width;
        int step = 0;
        double trainSeconds = 0;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var timer = Stopwatch.StartNew();
            group.SetTraining(true);
            double lossSum = 0;
            int seen = 0, batchIndex = 0;
            double learningRate = 0;
            foreach (ImageBatch batch in loader.Batches(epoch))
            {
                int count = batch.Count;
                int shards = Math.Min(group.Count, count);
                ImageBatch[] parts = Split(batch, shards, train.SampleSize);
                group.SyncWeights(shards);
                group.ZeroGrad(shards);
                var losses = new float[shards];
                ReplicaGroup.Run(shards, s =>
                {
                    Module<float> worker = group.Workers[s];
                    ImageBatch part = parts[s];
                    var images = Tensor<float>.FromArray(part.Images, part.Count, channels, height, width);
                    Tensor<float> output = worker.Forward(images);
                    (float value, Tensor<float> gradient) = teacherLogits is null
                        ? PlainLoss(output, part.Labels, objective)
                        : Distill(distillationLoss!, output, teacherLogits, logits, part, objective);
                    worker.Backward(gradient);
                    losses[s] = value;
                });
                double loss = losses[0];
                if (shards > 1)
                {
                    int[] sizes = parts.Select(p => p.Count).ToArray();
                    group.ReduceGradients(sizes, count);
                    loss = 0;
                    for (int s = 0; s < shards; s++) loss += (double)losses[s] * sizes[s] / count;
                }
                if (double.IsFinite(options.MaxGradientNorm))
                {
                    GradientClipping.ClipByGlobalNorm(model.Parameters(), options.MaxGradientNorm);
                }
                learningRate = schedule.LearningRate(step++);
                optimizer.LearningRate = learningRate;
                optimizer.Step();
                lossSum += loss * count;
                seen += count;
                batchIndex++;
                options.BatchCompleted?.Invoke(new TrainingProgress(epoch + 1, options.Epochs, batchIndex, stepsPerEpoch, lossSum / seen, timer.Elapsed.TotalSeconds));
            }

            Evaluation score = EvaluateCore(group, val, objective, options.EvaluationBatchSize, logits);
            bool isBest = score.Auc > bestAuc;
            if (isBest)
            {
                bestAuc = score.Auc;
                bestEpoch = epoch + 1;
                checkpoint.Save(model);
            }
            double seconds = timer.Elapsed.TotalSeconds;
            trainSeconds += seconds;
            var result = new EpochResult(epoch + 1, lossSum / seen, score, learningRate, seconds, isBest);
            epochs.Add(result);
            options.EpochCompleted?.Invoke(result);
        }

        checkpoint.Restore(model);
        group.SetTraining(false);
        Evaluation finalVal = EvaluateCore(group, val, objective, options.EvaluationBatchSize, logits);
        Evaluation? finalTest = test is null ? null : EvaluateCore(group, test, objective, options.EvaluationBatchSize, logits);
        return new TrainingReport(
            epochs, bestEpoch, finalVal, finalTest, model.ParameterCount, wall.Elapsed.TotalSeconds,
            trainSeconds / options.Epochs, options.CheckpointPath is null ? null : Path.GetFullPath(options.CheckpointPath));
    }

    private static (float Loss, Tensor<float> Gradient) PlainLoss(Tensor<float> output, int[] labels, TrainingLoss loss) =>
        loss == TrainingLoss.BinaryCrossEntropy
            ? BinaryCrossEntropyLoss.Compute(output, labels)
            : CrossEntropyLoss.Compute(output, labels);

    /// <summary>The distillation loss against the precomputed teacher logits of the batch's images; one-logit models
    /// are read as two logits (0, z).</summary>
    private static (float Loss, Tensor<float> Gradient) Distill(
        DistillationLoss loss, Tensor<float> student, float[] teacherLogits, int logits, ImageBatch batch, TrainingLoss objective)
    {
        int count = batch.Count;
        if (objective == TrainingLoss.BinaryCrossEntropy)
        {
            var s2 = Tensor<float>.Zeros(count, 2);
            var t2 = Tensor<float>.Zeros(count, 2);
            for (int b = 0; b < count; b++)
            {
                s2.Data[2 * b + 1] = student.Data[b];
                t2.Data[2 * b + 1] = teacherLogits[batch.Indices[b]];
            }
            (float value, Tensor<float> g2) = loss.Compute(s2, t2, batch.Labels);
            var gradient = Tensor<float>.Zeros(student.Shape);
            for (int b = 0; b < count; b++) gradient.Data[b] = g2.Data[2 * b + 1];
            return (value, gradient);
        }
        var teacher = Tensor<float>.Zeros(count, logits);
        for (int b = 0; b < count; b++)
        {
            Array.Copy(teacherLogits, batch.Indices[b] * logits, teacher.Data, b * logits, logits);
        }
        return loss.Compute(student, teacher, batch.Labels);
    }

    private static Evaluation EvaluateCore(ReplicaGroup group, ImageSet set, TrainingLoss loss, int batchSize, int k)
    {
        float[] logits = Logits(group, set, batchSize, k);
        int n = set.Count;
        var output = Tensor<float>.FromArray(logits, n, k);
        (float lossValue, _) = PlainLoss(output, set.Labels, loss);
        var scores = new float[n, k];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = logits.AsSpan(i * k, k);
            if (loss == TrainingLoss.BinaryCrossEntropy)
            {
                scores[i, 0] = (float)(1 / (1 + Math.Exp(-row[0])));
                continue;
            }
            float max = float.NegativeInfinity;
            foreach (float v in row) max = Math.Max(max, v);
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.Exp(row[c] - max);
            for (int c = 0; c < k; c++) scores[i, c] = (float)(Math.Exp(row[c] - max) / sum);
        }
        return new Evaluation(n, lossValue, Metrics.Accuracy(set.Labels, scores), Metrics.Auc(set.Labels, scores));
    }

    /// <summary>The model's k logits for every image of the set, in evaluation mode, row-major (N, k); the batches are
    /// shared out over the group's workers in contiguous runs.</summary>
    private static float[] Logits(ReplicaGroup group, ImageSet set, int batchSize, int k)
    {
        int n = set.Count, size = set.SampleSize;
        int batches = (n + batchSize - 1) / batchSize;
        int workers = Math.Min(group.Count, batches);
        group.SetTraining(false);
        group.SyncWeights(workers);
        var all = new float[n * k];
        ReplicaGroup.Run(workers, w =>
        {
            for (int b = batches * w / workers; b < batches * (w + 1) / workers; b++)
            {
                int start = b * batchSize, count = Math.Min(batchSize, n - start);
                var images = Tensor<float>.FromArray(set.Pixels.AsSpan(start * size, count * size).ToArray(), count, set.Channels, set.Height, set.Width);
                Tensor<float> output = group.Workers[w].Forward(images);
                Array.Copy(output.Data, 0, all, start * k, count * k);
            }
        });
        return all;
    }

    /// <summary>The batch cut into <paramref name="shards"/> contiguous parts (the batch itself for one).</summary>
    private static ImageBatch[] Split(ImageBatch batch, int shards, int sampleSize)
    {
        if (shards == 1) return [batch];
        var parts = new ImageBatch[shards];
        int count = batch.Count;
        for (int s = 0; s < shards; s++)
        {
            int a = count * s / shards, b = count * (s + 1) / shards;
            parts[s] = new ImageBatch(batch.Images[(a * sampleSize)..(b * sampleSize)], batch.Labels[a..b], batch.Indices[a..b]);
        }
        return parts;
    }

    private static void CheckSet(ImageSet set, string name, ImageSet reference)
    {
        if (set.Count == 0) throw new ArgumentException($"the {name} set is empty", name);
        if (set.Channels != reference.Channels || set.Height != reference.Height || set.Width != reference.Width)
        {
            throw new ArgumentException(
                $"the {name} set holds {set.Channels} × {set.Height} × {set.Width} images but the training set {reference.Channels} × {reference.Height} × {reference.Width}", name);
        }
        if (set.Classes != reference.Classes)
        {
            throw new ArgumentException($"the {name} set has {set.Classes} classes but the training set {reference.Classes}", name);
        }
    }

    private static void RequireEveryClass(ImageSet set, string name)
    {
        int[] counts = set.ClassCounts();
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] == 0)
            {
                throw new ArgumentException($"the {name} set has no image of class {c} ('{set.ClassNames[c]}'), so its AUC is undefined", name);
            }
        }
    }

    /// <summary>Runs one image through the model (in evaluation mode) and checks its logit count against the classes
    /// and the loss.</summary>
    private static int CheckLogits(Module<float> model, ImageSet set, TrainingLoss loss, string role)
    {
        model.Eval();
        var one = Tensor<float>.FromArray(set.Pixels.AsSpan(0, set.SampleSize).ToArray(), 1, set.Channels, set.Height, set.Width);
        Tensor<float> output = model.Forward(one);
        if (output.Rank != 2 || output.Shape[0] != 1)
        {
            throw new ArgumentException($"the {role} maps one image to a tensor of shape ({string.Join(", ", output.Shape.ToArray())}); expected (1, logits)", role);
        }
        int logits = output.Shape[1];
        int classes = set.Classes;
        if (loss == TrainingLoss.BinaryCrossEntropy)
        {
            if (classes != 2)
            {
                throw new ArgumentException($"binary cross-entropy needs labels 0 and 1, but the data has {classes} classes (labels 0 … {classes - 1}); use cross-entropy", role);
            }
            if (logits != 1)
            {
                throw new ArgumentException($"binary cross-entropy needs one logit, but the {role} outputs {logits}", role);
            }
        }
        else if (logits != classes)
        {
            throw new ArgumentException(
                $"the data has {classes} classes (labels 0 … {classes - 1}) but the {role} outputs {logits} logits; cross-entropy needs one logit per class", role);
        }
        return logits;
    }

    /// <summary>The best weights so far, in a file or in memory.</summary>
    private sealed class Checkpoint(string? path)
    {
        private byte[]? _bytes;

        public void Save(Module<float> model)
        {
            if (path is null)
            {
                using var stream = new MemoryStream();
                ModuleSerializer.Save(model, stream);
                _bytes = stream.ToArray();
                return;
            }
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null) Directory.CreateDirectory(directory);
            ModuleSerializer.Save(model, path);
            _bytes = [];
        }

        public void Restore(Module<float> model)
        {
            if (_bytes is null) return;
            if (path is null)
            {
                using var stream = new MemoryStream(_bytes, writable: false);
                ModuleSerializer.Load(model, stream);
                return;
            }
            ModuleSerializer.Load(model, path);
        }
    }
}
