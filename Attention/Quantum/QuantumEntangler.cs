namespace QSim.Attention;

/// <summary>The CNOT pattern after each trainable rotation layer.</summary>
public enum QuantumEntangler
{
    /// <summary>CNOT(0,1), CNOT(1,2), …, CNOT(n−2,n−1), CNOT(n−1,0).</summary>
    Ring,

    /// <summary>CNOT(0,1), …, CNOT(n−2,n−1).</summary>
    Chain,

    /// <summary>CNOT(i,j) for every i &lt; j, in lexicographic order.</summary>
    AllToAll,
}
