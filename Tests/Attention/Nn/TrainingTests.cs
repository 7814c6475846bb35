using QSim.Attention;

namespace QSim.Tests.Attention.Nn;

/// <summary>End to end: a tiny ViT learns a synthetic two-class image task with AdamW, a warm-up cosine schedule and
/// gradient clipping. The model starts near chance, so wrong gradients or a broken optimiser fail the test.</summary>
/// <remarks>Both classes have two bright and two dark 4×4 patches, so the model can only separate them through the
/// positional embedding: the loss sits near log 2 for ~35 steps before the symmetry breaks (about 1 s in all).</remarks>
public sealed class TrainingTests
{
    /// <summary>8×8 grey images: class 0 is brighter on the left half, class 1 on the right; Gaussian pixel noise.</summary>
    private static (Tensor<float> Images, int[] Labels) BrightSide(int count, int seed)
    {
        var random = new Random(seed);
        var data = new float[count * 64];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = random.Next(2);
            for (int y = 0; y < 8; y++)
            {
                for (int x = 0; x < 8; x++)
                {
                    bool left = x < 4;
                    double mean = left == (labels[n] == 0) ? 0.65 : 0.35;
                    double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    data[n * 64 + y * 8 + x] = (float)(mean + 0.3 * noise);
                }
            }
        }
        return (Tensor<float>.FromArray(data, count, 1, 8, 8), labels);
    }

    private static double Accuracy(Module<float> model, Tensor<float> images, int[] labels)
    {
        Tensor<float> logits = model.Forward(images);
        int correct = 0;
        for (int n = 0; n < labels.Length; n++)
        {
            int predicted = logits[n, 1] > logits[n, 0] ? 1 : 0;
            if (predicted == labels[n]) correct++;
        }
        return correct / (double)labels.Length;
    }

    [Test]
    public void TinyVisionTransformer_BrightLeftVersusRight_LearnsAbove90Percent()
    {
        (Tensor<float> trainImages, int[] trainLabels) = BrightSide(128, seed: 1);
        (Tensor<float> testImages, int[] testLabels) = BrightSide(200, seed: 2);
        var model = new VisionTransformer<float>(new VisionTransformerOptions
        {
            ImageSize = 8, Channels = 1, PatchSize = 4, Dim = 8, Heads = 2, Depth = 1, MlpHidden = 16, Classes = 2,
            Pooling = ViTPooling.ClassToken, Seed = 11,
        });
        model.Eval();
        double before = Accuracy(model, testImages, testLabels);

        const int batch = 32, epochs = 25;
        int steps = epochs * (trainLabels.Length / batch);
        var optimizer = new AdamW<float>(model.Parameters(), weightDecay: 0.01);
        var schedule = new WarmupCosineSchedule(baseLearningRate: 3e-2, warmupSteps: 5, totalSteps: steps);
        int step = 0;
        double firstLoss = 0, lastLoss = 0;
        model.Train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int start = 0; start < trainLabels.Length; start += batch)
            {
                Tensor<float> x = Tensor<float>.FromArray(trainImages.Data[(start * 64)..((start + batch) * 64)], batch, 1, 8, 8);
                int[] y = trainLabels[start..(start + batch)];
                optimizer.ZeroGrad();
                Tensor<float> logits = model.Forward(x);
                (float loss, Tensor<float> gradLogits) = CrossEntropyLoss.Compute(logits, y);
                model.Backward(gradLogits);
                GradientClipping.ClipByGlobalNorm(model.Parameters(), maxNorm: 1.0);
                optimizer.LearningRate = schedule.LearningRate(step++);
                optimizer.Step();
                if (epoch == 0 && start == 0) firstLoss = loss;
                lastLoss = loss;
            }
        }
        model.Eval();
        double after = Accuracy(model, testImages, testLabels);

        Assert.That(before, Is.LessThan(0.75), "the untrained model must not already solve the task");
        Assert.That(lastLoss, Is.LessThan(firstLoss / 2), "the training loss must fall");
        Assert.That(after, Is.GreaterThan(0.9), $"test accuracy {after:P1} (before training {before:P1})");
    }
}
