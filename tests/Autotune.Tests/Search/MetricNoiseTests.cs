using Autotune.Search;

namespace Autotune.Tests.Search;

public sealed class MetricNoiseTests
{
    [Fact]
    public void A_steady_climb_is_not_noise()
    {
        MetricNoise.Of([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])!.Value.ShouldBe(0, 1e-12);
    }

    [Fact]
    public void Noise_around_a_level_is_read_as_about_its_standard_deviation()
    {
        var rng = new Random(7);
        var sigmas = Enumerable.Range(0, 200)
            .Select(_ => MetricNoise.Of([.. Enumerable.Range(0, 10).Select(e => 0.36 + 0.002 * e + 0.015 * Gaussian.Draw(rng))])!.Value)
            .ToList();
        MetricNoise.Sigma([.. Enumerable.Range(0, 200).Select(_ => (IReadOnlyList<double>)[.. Enumerable.Range(0, 10).Select(e => 0.36 + 0.015 * Gaussian.Draw(rng))])])
            .ShouldBeInRange(0.010, 0.020);
        sigmas.Average().ShouldBeInRange(0.010, 0.020);
    }

    [Fact]
    public void A_trial_with_fewer_than_four_epochs_says_nothing_and_a_study_without_any_reads_zero()
    {
        MetricNoise.Of([0.9, 0.95, 0.97]).ShouldBeNull();
        MetricNoise.Of([0.9, double.NaN, 0.95, 0.97]).ShouldBeNull();
        MetricNoise.Sigma([[0.98], [0.97, 0.985]]).ShouldBe(0);
    }
}
