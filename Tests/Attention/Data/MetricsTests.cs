using QSim.Attention.Data;

namespace QSim.Tests.Attention.Data;

// Metrics against hand-computed cases (ties included), a brute-force pair count, and every rejected input.
[TestFixture]
public sealed class MetricsTests
{
    [Test]
    public void RocAuc_TextbookCase_ThreeQuarters()
    {
        // Pairs (pos, neg): 0.35 > 0.1, 0.35 < 0.4, 0.8 > 0.1, 0.8 > 0.4 → 3 of 4.
        Assert.That(Metrics.RocAuc([0, 0, 1, 1], new[] { 0.1, 0.4, 0.35, 0.8 }), Is.EqualTo(0.75));
    }

    [Test]
    public void RocAuc_TiedPair_CountsHalf()
    {
        // Positives {0.5, 0.9}, negatives {0.5, 0.2}: 0.5 ~ 0.5 half, the other three pairs won → 3.5 / 4.
        Assert.That(Metrics.RocAuc([0, 1, 0, 1], new[] { 0.5, 0.5, 0.2, 0.9 }), Is.EqualTo(0.875));
        // Ties across several samples: positives {1, 1, 2}, negatives {1, 0}: (1,1) ½ twice, (1,0) 1 twice, (2,·) 1 twice → 5 / 6.
        Assert.That(Metrics.RocAuc([1, 1, 1, 0, 0], new[] { 1f, 1f, 2f, 1f, 0f }), Is.EqualTo(5.0 / 6).Within(1e-15));
    }

    [Test]
    public void RocAuc_PerfectReversedAndConstant_OneZeroHalf()
    {
        int[] labels = [0, 1, 0, 1, 1, 0];
        double[] perfect = [0.1, 0.9, 0.2, 0.8, 0.7, 0.3];
        Assert.That(Metrics.RocAuc(labels, perfect), Is.EqualTo(1.0));
        Assert.That(Metrics.RocAuc(labels, perfect.Select(s => -s).ToArray()), Is.EqualTo(0.0));
        Assert.That(Metrics.RocAuc(labels, new double[6]), Is.EqualTo(0.5));
    }

    [Test]
    public void RocAuc_RandomScoresWithManyTies_EqualsPairCount()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = random.Next(2, 300);
            var labels = new int[n];
            var scores = new double[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = random.Next(2);
                scores[i] = random.Next(5); // few distinct values: many ties
            }
            labels[0] = 0;
            labels[1] = 1;

            double wins = 0;
            long pairs = 0;
            for (int p = 0; p < n; p++)
            {
                if (labels[p] != 1) continue;
                for (int q = 0; q < n; q++)
                {
                    if (labels[q] != 0) continue;
                    pairs++;
                    wins += scores[p] > scores[q] ? 1 : scores[p] == scores[q] ? 0.5 : 0;
                }
            }
            Assert.That(Metrics.RocAuc(labels, scores), Is.EqualTo(wins / pairs).Within(1e-12), $"trial {trial}, n = {n}");
        }
    }

    [Test]
    public void Auc_TwoColumns_UsesPositiveColumnOnly()
    {
        // Column 1 gives 0.75; column 0 is deliberately not 1 − column 1 (one-vs-rest would differ).
        double[,] scores = { { 0.9, 0.1 }, { 0.1, 0.4 }, { 0.2, 0.35 }, { 0.3, 0.8 } };
        Assert.That(Metrics.Auc([0, 0, 1, 1], scores), Is.EqualTo(0.75));
    }

    [Test]
    public void Auc_SingleColumn_IsBinaryRocAuc()
    {
        float[,] scores = { { 0.1f }, { 0.4f }, { 0.35f }, { 0.8f } };
        Assert.That(Metrics.Auc([0, 0, 1, 1], scores), Is.EqualTo(0.75));
    }

    [Test]
    public void Auc_MultiClass_MeanOfOneVsRest()
    {
        int[] labels = [0, 1, 2, 0, 1, 2];
        double[,] scores =
        {
            { 0.7, 0.2, 0.1 },
            { 0.2, 0.5, 0.3 },
            { 0.1, 0.3, 0.6 },
            { 0.3, 0.4, 0.3 },
            { 0.4, 0.4, 0.2 },
            { 0.5, 0.1, 0.4 },
        };
        // Class 0: positives {0.7, 0.3} vs negatives {0.2, 0.1, 0.4, 0.5} → (4 + 2) / 8 = 0.75.
        // Class 1: positives {0.5, 0.4} vs {0.2, 0.3, 0.4, 0.1} → (4 + 3.5) / 8 = 0.9375 (one tie).
        // Class 2: positives {0.6, 0.4} vs {0.1, 0.3, 0.3, 0.2} → 8 / 8 = 1.
        double expected = (0.75 + 0.9375 + 1.0) / 3;
        Assert.That(Metrics.Auc(labels, scores), Is.EqualTo(expected).Within(1e-15));

        var single = new float[6, 3];
        for (int i = 0; i < 6; i++)
            for (int c = 0; c < 3; c++) single[i, c] = (float)scores[i, c];
        Assert.That(Metrics.Auc(labels, single), Is.EqualTo(expected).Within(1e-15));
    }

    [Test]
    public void Accuracy_Predictions_FractionCorrect()
    {
        Assert.That(Metrics.Accuracy([0, 1, 2, 1], [0, 2, 2, 1]), Is.EqualTo(0.75));
    }

    [Test]
    public void Accuracy_Scores_ArgMaxFirstOnTies()
    {
        double[,] scores = { { 0.5, 0.5 }, { 0.1, 0.9 }, { 2.0, -1.0 } };
        Assert.That(Metrics.Predictions(scores), Is.EqualTo(new[] { 0, 1, 0 }));
        Assert.That(Metrics.Accuracy([0, 1, 1], scores), Is.EqualTo(2.0 / 3));
    }

    [Test]
    public void Accuracy_SingleColumn_Thresholded()
    {
        float[,] scores = { { 0.2f }, { 0.6f }, { 0.5f } };
        Assert.That(Metrics.Predictions(scores), Is.EqualTo(new[] { 0, 1, 0 }));
        Assert.That(Metrics.Predictions(scores, threshold: 0.1), Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(Metrics.Accuracy([0, 1, 1], scores), Is.EqualTo(2.0 / 3));
    }

    [Test]
    public void RocAuc_OneClassOnly_ThrowsUndefined()
    {
        Assert.That(() => Metrics.RocAuc([1, 1, 1], new[] { 0.1, 0.2, 0.3 }),
            Throws.ArgumentException.With.Message.Contains("undefined").And.Message.Contains("3 positive and 0 negative"));
    }

    [Test]
    public void Auc_MultiClassWithAbsentClass_ThrowsNamingClass()
    {
        var scores = new double[4, 3];
        Assert.That(() => Metrics.Auc([0, 0, 1, 1], scores), Throws.ArgumentException.With.Message.Contains("class 2"));
    }

    [Test]
    public void Metrics_MismatchedLengths_Throw()
    {
        Assert.That(() => Metrics.RocAuc([0, 1], new[] { 0.1, 0.2, 0.3 }), Throws.ArgumentException.With.Message.Contains("expected 2 scores"));
        Assert.That(() => Metrics.Auc([0, 1], new double[3, 2]), Throws.ArgumentException.With.Message.Contains("expected 2 scores"));
        Assert.That(() => Metrics.Accuracy([0, 1], [0]), Throws.ArgumentException.With.Message.Contains("expected 2 predictions"));
        Assert.That(() => Metrics.Accuracy([], Array.Empty<int>()), Throws.ArgumentException.With.Message.Contains("no samples"));
        Assert.That(() => Metrics.Auc([0, 1], new double[2, 0]), Throws.ArgumentException.With.Message.Contains("at least one column"));
    }

    [Test]
    public void Metrics_NaNScore_Throws()
    {
        Assert.That(() => Metrics.RocAuc([0, 1], new[] { 0.1, double.NaN }), Throws.ArgumentException.With.Message.Contains("NaN"));
        Assert.That(() => Metrics.Auc([0, 1], new[,] { { 0.1f, float.NaN }, { 0.2f, 0.3f } }), Throws.ArgumentException.With.Message.Contains("score [0, 1] is NaN"));
        Assert.That(() => Metrics.Accuracy([0, 1], new[,] { { double.NaN }, { 0.2 } }), Throws.ArgumentException.With.Message.Contains("NaN"));
    }

    [Test]
    public void Metrics_LabelsOutOfRange_Throw()
    {
        Assert.That(() => Metrics.RocAuc([0, 2], new[] { 0.1, 0.2 }), Throws.ArgumentException.With.Message.Contains("labels 0 or 1"));
        Assert.That(() => Metrics.Auc([0, 3, 1], new double[3, 3]), Throws.ArgumentException.With.Message.Contains("label 1 = 3 is out of range"));
        Assert.That(() => Metrics.Auc([0, -1], new double[2, 2]), Throws.ArgumentException.With.Message.Contains("out of range"));
    }

    [Test]
    public void Metrics_NullArguments_Throw()
    {
        Assert.That(() => Metrics.RocAuc(null!, new[] { 0.1 }), Throws.ArgumentNullException);
        Assert.That(() => Metrics.Auc<double>([0], null!), Throws.ArgumentNullException);
    }
}
