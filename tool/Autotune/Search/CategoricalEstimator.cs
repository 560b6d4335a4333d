namespace Autotune.Search;

/// <summary>
/// One Choice parameter's distribution in TPE: how often each value was seen, plus one imagined
/// sighting of every value, so an unseen value keeps a chance. (Measured: a prior of one sighting in
/// all, spread over the values, let TPE lock onto a wrong choice in a third of the mixed-space studies.)
/// </summary>
internal sealed class CategoricalEstimator
{
    private readonly double[] probabilities;

    public CategoricalEstimator(IReadOnlyList<int> observedIndices, int count, double priorPerValue = 1.0)
    {
        probabilities = Enumerable.Repeat(priorPerValue, count).ToArray();
        foreach (var i in observedIndices)
            if (i >= 0 && i < count) probabilities[i] += 1;
        var total = probabilities.Sum();
        for (var i = 0; i < count; i++) probabilities[i] /= total;
    }

    public int Sample(Random rng)
    {
        var u = rng.NextDouble();
        var acc = 0.0;
        for (var i = 0; i < probabilities.Length - 1; i++)
            if (u < (acc += probabilities[i])) return i;
        return probabilities.Length - 1;
    }

    public double LogProbability(int index) => Math.Log(probabilities[index]);
}
