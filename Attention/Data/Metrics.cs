using System.Numerics;

namespace QSim.Attention.Data;

/// <summary>
/// Classification metrics as the official MedMNIST evaluator (<c>medmnist/evaluator.py</c>, <c>getACC</c> and
/// <c>getAUC</c>) defines them for single-label tasks.
/// </summary>
/// <remarks>
/// <para>Scores are an (N, K) matrix, one row per sample: class probabilities, logits or any monotone score. The
/// number of columns decides the task: K = 1 is a binary task with one positive-class score per sample; K = 2 is a
/// binary task whose positive-class score is column 1 (the last column, as the official evaluator takes it);
/// K ≥ 3 is multi-class (ordinal regression included), scored one-vs-rest.</para>
/// <para>ROC AUC is computed exactly from ranks (the Mann–Whitney U statistic): the fraction of (positive, negative)
/// pairs in which the positive sample scores higher, with tied pairs counting one half. It equals the trapezoidal
/// area under the ROC curve that scikit-learn's <c>roc_auc_score</c> reports.</para>
/// <para>AUC is undefined when a class has no positive or no negative sample; like <c>roc_auc_score</c>, these
/// methods then throw an <see cref="ArgumentException"/> naming the class (they never return NaN). NaN scores are
/// rejected with an <see cref="ArgumentException"/>.</para>
/// </remarks>
public static class Metrics
{
    /// <summary>The fraction of predictions equal to the labels.</summary>
    /// <param name="labels">True labels.</param>
    /// <param name="predictions">Predicted labels, as many as <paramref name="labels"/>.</param>
    /// <returns>Accuracy in [0, 1].</returns>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static double Accuracy(int[] labels, int[] predictions)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        CheckLengths(labels.Length, predictions.Length, "predictions");
        return AccuracyCore(labels, predictions);
    }

    /// <summary>The accuracy of the class each score row predicts (see <see cref="Predictions{T}"/>).</summary>
    /// <typeparam name="T">Score precision (<see cref="float"/> or <see cref="double"/>).</typeparam>
    /// <param name="labels">True labels, N.</param>
    /// <param name="scores">Scores (N, K).</param>
    /// <param name="threshold">For K = 1 only: a score above it predicts class 1.</param>
    /// <returns>Accuracy in [0, 1].</returns>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">The row count differs from the label count or is zero, there are no columns, or a score is NaN.</exception>
    public static double Accuracy<T>(int[] labels, T[,] scores, double threshold = 0.5) where T : IFloatingPoint<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        CheckScores(labels.Length, scores);
        return AccuracyCore(labels, PredictionsCore(scores, threshold));
    }

    /// <summary>The class each score row predicts: the arg-max column (first on ties) for K ≥ 2, else 1 when the single score exceeds <paramref name="threshold"/>.</summary>
    /// <typeparam name="T">Score precision.</typeparam>
    /// <param name="scores">Scores (N, K).</param>
    /// <param name="threshold">For K = 1 only.</param>
    /// <returns>N predicted labels.</returns>
    /// <exception cref="ArgumentNullException">The scores are null.</exception>
    /// <exception cref="ArgumentException">There are no columns, or a score is NaN.</exception>
    public static int[] Predictions<T>(T[,] scores, double threshold = 0.5) where T : IFloatingPoint<T>
    {
        ArgumentNullException.ThrowIfNull(scores);
        CheckScores(scores.GetLength(0), scores, allowEmpty: true);
        return PredictionsCore(scores, threshold);
    }

    /// <summary>ROC AUC of binary labels against one score per sample.</summary>
    /// <typeparam name="T">Score precision.</typeparam>
    /// <param name="labels">Labels 0 (negative) or 1 (positive).</param>
    /// <param name="scores">Scores, higher meaning more likely positive.</param>
    /// <returns>The AUC in [0, 1]: 1 when every positive outscores every negative, 0 when reversed, 0.5 for all ties.</returns>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">The lengths differ or are zero, a label is not 0 or 1, a score is NaN, or only one class occurs.</exception>
    public static double RocAuc<T>(int[] labels, T[] scores) where T : IFloatingPoint<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        CheckLengths(labels.Length, scores.Length, "scores");
        var values = new double[scores.Length];
        var positive = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1)) throw new ArgumentException($"label {i} = {labels[i]}; binary ROC AUC needs labels 0 or 1", nameof(labels));
            if (T.IsNaN(scores[i])) throw new ArgumentException($"score {i} is NaN", nameof(scores));
            positive[i] = labels[i] == 1;
            values[i] = double.CreateChecked(scores[i]);
        }
        return RankAuc(positive, values, "class 1");
    }

    /// <summary>
    /// AUC as the official MedMNIST evaluator computes it: for K ≤ 2 score columns, the ROC AUC of the positive-class
    /// score (the only column, or column 1); for K ≥ 3, the mean over classes of the one-vs-rest ROC AUC of column k
    /// for "label = k".
    /// </summary>
    /// <typeparam name="T">Score precision.</typeparam>
    /// <param name="labels">True labels, N, in [0, max(K, 2)).</param>
    /// <param name="scores">Scores (N, K).</param>
    /// <returns>The AUC in [0, 1].</returns>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">The row count differs from the label count or is zero, there are no columns, a label is out of range, a score is NaN, or some class has no positive or no negative sample.</exception>
    public static double Auc<T>(int[] labels, T[,] scores) where T : IFloatingPoint<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        CheckScores(labels.Length, scores);
        int n = labels.Length, k = scores.GetLength(1), classes = Math.Max(k, 2);
        for (int i = 0; i < n; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"label {i} = {labels[i]} is out of range for {k} score column(s) (expected 0 … {classes - 1})", nameof(labels));
        }

        var column = new double[n];
        var positive = new bool[n];
        if (k <= 2)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = double.CreateChecked(scores[i, k - 1]);
                positive[i] = labels[i] == 1;
            }
            return RankAuc(positive, column, "class 1");
        }

        double sum = 0;
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = double.CreateChecked(scores[i, c]);
                positive[i] = labels[i] == c;
            }
            sum += RankAuc(positive, column, $"class {c}");
        }
        return sum / k;
    }

    private static double AccuracyCore(int[] labels, int[] predictions)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == predictions[i]) correct++;
        }
        return (double)correct / labels.Length;
    }

    private static int[] PredictionsCore<T>(T[,] scores, double threshold) where T : IFloatingPoint<T>
    {
        int n = scores.GetLength(0), k = scores.GetLength(1);
        var predictions = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (k == 1)
            {
                predictions[i] = double.CreateChecked(scores[i, 0]) > threshold ? 1 : 0;
                continue;
            }
            int best = 0;
            for (int c = 1; c < k; c++)
            {
                if (scores[i, c] > scores[i, best]) best = c;
            }
            predictions[i] = best;
        }
        return predictions;
    }

    /// <summary>Mann–Whitney AUC: (rank sum of positives − P(P+1)/2) / (P·N), ties at their mean rank.</summary>
    private static double RankAuc(bool[] positive, double[] scores, string what)
    {
        int n = scores.Length;
        long positives = positive.Count(p => p), negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException(
                $"ROC AUC is undefined for {what}: it has {positives} positive and {negatives} negative samples (both must be present)");
        }

        var keys = (double[])scores.Clone();
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);

        double positiveRankSum = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            double meanRank = (start + 1 + end) / 2.0; // ranks start+1 … end
            for (int j = start; j < end; j++)
            {
                if (positive[order[j]]) positiveRankSum += meanRank;
            }
            start = end;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }

    private static void CheckLengths(int labels, int other, string otherName)
    {
        if (labels == 0) throw new ArgumentException("no samples: the label array is empty", "labels");
        if (other != labels) throw new ArgumentException($"expected {labels} {otherName} (one per label), got {other}", otherName);
    }

    private static void CheckScores<T>(int labels, T[,] scores, bool allowEmpty = false) where T : IFloatingPoint<T>
    {
        int n = scores.GetLength(0), k = scores.GetLength(1);
        if (!allowEmpty) CheckLengths(labels, n, "scores");
        if (k == 0) throw new ArgumentException($"scores have shape ({n}, 0); expected at least one column", nameof(scores));
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                if (T.IsNaN(scores[i, c])) throw new ArgumentException($"score [{i}, {c}] is NaN", nameof(scores));
            }
        }
    }
}
