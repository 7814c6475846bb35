using System.Runtime.ExceptionServices;

namespace QSim.Attention.Training;

/// <summary>
/// A model and its data-parallel replicas: each step splits a mini-batch into contiguous shards, one per worker, runs
/// them on parallel threads, and folds the replicas' gradients into the model's, weighted by shard size, in a fixed
/// order (so a run is deterministic for a fixed replica count).
/// </summary>
/// <remarks>Worker 0 is the model itself; replicas receive its weights before every use. A module caches only its
/// last forward pass, so each thread needs its own instance; the instances share nothing but the weights' values.</remarks>
internal sealed class ReplicaGroup
{
    private readonly TrainableParameter<float>[][] _parameters;

    public ReplicaGroup(Module<float> model, int replicas, Func<Module<float>>? factory)
    {
        var workers = new List<Module<float>> { model };
        for (int r = 1; r < replicas; r++)
        {
            Module<float> replica = factory!() ?? throw new ArgumentException("TrainingOptions.ReplicaFactory returned null", nameof(factory));
            if (ReferenceEquals(replica, model) || workers.Contains(replica))
            {
                throw new ArgumentException("TrainingOptions.ReplicaFactory returned an instance it returned before (or the model itself); each replica must be a new module", nameof(factory));
            }
            workers.Add(replica);
        }
        Workers = workers.ToArray();
        _parameters = Workers.Select(w => w.Parameters().ToArray()).ToArray();
        var names = model.NamedParameters().Select(p => (p.Name, Shape: p.Parameter.Value.Shape.ToArray())).ToArray();
        for (int r = 1; r < Workers.Length; r++)
        {
            var other = Workers[r].NamedParameters().Select(p => (p.Name, Shape: p.Parameter.Value.Shape.ToArray())).ToArray();
            bool same = other.Length == names.Length
                && names.Zip(other).All(pair => pair.First.Name == pair.Second.Name && pair.First.Shape.SequenceEqual(pair.Second.Shape));
            if (!same)
            {
                throw new ArgumentException(
                    $"TrainingOptions.ReplicaFactory built a model whose parameters differ from the trained model's ({other.Length} vs {names.Length} tensors, or other names or shapes); replicas must have the same architecture",
                    nameof(factory));
            }
        }
    }

    public Module<float>[] Workers { get; }

    public int Count => Workers.Length;

    /// <summary>Copies the model's weights into the first <paramref name="workers"/> − 1 replicas.</summary>
    public void SyncWeights(int workers)
    {
        TrainableParameter<float>[] master = _parameters[0];
        for (int r = 1; r < workers; r++)
        {
            for (int i = 0; i < master.Length; i++)
            {
                master[i].Value.Data.AsSpan().CopyTo(_parameters[r][i].Value.Data);
            }
        }
    }

    /// <summary>Zeroes the gradients of the first <paramref name="workers"/> workers.</summary>
    public void ZeroGrad(int workers)
    {
        for (int r = 0; r < workers; r++) Workers[r].ZeroGrad();
    }

    /// <summary>The model's gradient becomes Σ_r (size_r / total)·grad_r, summed in worker order.</summary>
    public void ReduceGradients(int[] sizes, int total)
    {
        TrainableParameter<float>[] master = _parameters[0];
        float first = sizes[0] / (float)total;
        for (int i = 0; i < master.Length; i++)
        {
            float[] target = master[i].Grad.Data;
            for (int k = 0; k < target.Length; k++) target[k] *= first;
            for (int r = 1; r < sizes.Length; r++)
            {
                float weight = sizes[r] / (float)total;
                float[] source = _parameters[r][i].Grad.Data;
                for (int k = 0; k < target.Length; k++) target[k] += weight * source[k];
            }
        }
    }

    /// <summary>Runs <paramref name="body"/>(worker) for the first <paramref name="workers"/> workers, in parallel when
    /// there is more than one; the first exception is rethrown as itself.</summary>
    public static void Run(int workers, Action<int> body)
    {
        if (workers == 1)
        {
            body(0);
            return;
        }
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Puts every worker in training or evaluation mode.</summary>
    public void SetTraining(bool training)
    {
        foreach (Module<float> worker in Workers)
        {
            if (training) worker.Train();
            else worker.Eval();
        }
    }
}
