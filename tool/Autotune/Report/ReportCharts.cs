using Autotune.Study;
using ScottPlot;

namespace Autotune.Report;

/// <summary>
/// The report's charts as PNG bytes, drawn by ScottPlot off screen (SkiaSharp, no display
/// needed): the metric of each trial with the best so far, the metric of every trial per epoch, and
/// (once enough trials completed) each parameter's share of the importance. The metric charts set their
/// axis limits from the values they draw: ScottPlot's autoscaler refuses a span that is not a finite
/// number (1e308 beside -1e308), and a value a program wrote may be anything.
/// </summary>
public static class ReportCharts
{
    public const string TrialsFile = "trials.png";
    public const string EpochsFile = "epochs.png";
    public const string ImportanceFile = "importance.png";
    public const string ParetoFile = "pareto.png";
    public const int Width = 800;
    public const int Height = 400;

    private static readonly Color Finished = Color.FromHex("#1f77b4");
    private static readonly Color Pruned = Color.FromHex("#9e9e9e");
    private static readonly Color BestLine = Color.FromHex("#ff7f0e");
    private static readonly Color TargetLine = Color.FromHex("#2ca02c");
    private static readonly Color Infeasible = Color.FromHex("#d62728");

    /// <summary>Values beyond ±this are drawn at it: the axis still has room for ticks, and no chart can show 1e300 beside 0.9 anyway.</summary>
    public const double Drawable = 1e100;

    public static byte[] Trials(StudyReport report)
    {
        var plot = new Plot();
        var metric = report.Target.Metric;
        plot.Title($"{metric} per trial");
        plot.XLabel("trial");
        plot.YLabel(metric);

        AddPoints(plot, report.Trials.Where(t => t.State != TrialState.Pruned), Finished, "completed");
        AddPoints(plot, report.Trials.Where(t => t.State == TrialState.Pruned), Pruned, "pruned (partial)");

        var best = report.Trials.Zip(report.BestSoFar).Where(p => p.Second is not null).ToList();
        if (best.Count > 0)
        {
            var line = plot.Add.Scatter(best.Select(p => (double)p.First.Number).ToArray(), best.Select(p => Clamp(p.Second!.Value)).ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.Color = BestLine;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = "best so far";
        }
        AddTarget(plot, report);
        if (report.Trials.Count > 0) plot.Axes.SetLimitsX(0.5, report.Trials.Max(t => t.Number) + 0.5);
        SetLimitsY(plot, report, report.Trials.Select(t => t.Value).Concat(report.BestSoFar));
        plot.ShowLegend(Alignment.LowerRight);
        return Png(plot);
    }

    public static byte[] Epochs(StudyReport report)
    {
        var plot = new Plot();
        var metric = report.Target.Metric;
        plot.Title($"{metric} per epoch");
        plot.XLabel("epoch");
        plot.YLabel(metric);
        foreach (var t in report.Trials.Where(t => t.Curve.Count > 0 && t != report.Best))
        {
            var line = plot.Add.Scatter(t.Curve.Select(c => (double)c.Epoch).ToArray(), t.Curve.Select(c => Clamp(c.Value)).ToArray());
            line.Color = (t.State == TrialState.Pruned ? Pruned : Finished).WithAlpha(0.45);
            line.LineWidth = 1;
            line.MarkerSize = 3;
        }
        if (report.Best is { Curve.Count: > 0 } best)
        {
            var line = plot.Add.Scatter(best.Curve.Select(c => (double)c.Epoch).ToArray(), best.Curve.Select(c => Clamp(c.Value)).ToArray());
            line.Color = BestLine;
            line.LineWidth = 3;
            line.MarkerSize = 6;
            line.LegendText = $"best: trial {best.Number}";
        }
        AddTarget(plot, report);
        var curves = report.Trials.SelectMany(t => t.Curve).ToList();
        if (curves.Count > 0) plot.Axes.SetLimitsX(0.5, curves.Max(c => c.Epoch) + 0.5);
        SetLimitsY(plot, report, curves.Select(c => (double?)c.Value));
        plot.ShowLegend(Alignment.LowerRight);
        return Png(plot);
    }

    /// <summary>
    /// The target's metric against the first secondary objective (`--minimize params`): every trial that reported both as
    /// a point (pruned in grey, infeasible in red), the Pareto front highlighted and joined as a staircase, the target
    /// dashed. Only for a report with secondary objectives; trials without the secondary metric cannot be placed.
    /// </summary>
    public static byte[] Pareto(StudyReport report)
    {
        var plot = new Plot();
        var metric = report.Target.Metric;
        var secondary = report.MinimizeList[0];
        plot.Title($"{metric} against {secondary}: the Pareto front");
        plot.XLabel($"{secondary} (lower is better)");
        plot.YLabel(metric);
        double? X(ReportTrial t) => t.FinalMetrics.TryGetValue(secondary, out var x) && double.IsFinite(x) ? x : null;
        var placed = report.Trials.Where(t => X(t) is not null && t.Value is { } v && double.IsFinite(v)).ToList();

        void Points(IEnumerable<ReportTrial> trials, Color color, float size, string legend)
        {
            var drawn = trials.ToList();
            if (drawn.Count == 0) return;
            var points = plot.Add.ScatterPoints(drawn.Select(t => Clamp(X(t)!.Value)).ToArray(), drawn.Select(t => Clamp(t.Value!.Value)).ToArray());
            points.Color = color;
            points.MarkerSize = size;
            points.LegendText = legend;
        }
        Points(placed.Where(t => t.Feasible && t.State != TrialState.Pruned && !t.OnFront), Finished, 8, "trial");
        Points(placed.Where(t => t.Feasible && t.State == TrialState.Pruned), Pruned, 8, "pruned (partial)");
        Points(placed.Where(t => !t.Feasible), Infeasible, 8, "infeasible");
        var front = placed.Where(t => t.OnFront).OrderBy(t => X(t)).ToList();
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(t => Clamp(X(t)!.Value)).ToArray(), front.Select(t => Clamp(t.Value!.Value)).ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.Color = BestLine;
            line.LineWidth = 2;
            line.MarkerSize = 11;
            line.LegendText = "Pareto front";
        }
        if (report.Best is { } best && placed.Contains(best))
        {
            var star = plot.Add.ScatterPoints(new[] { Clamp(X(best)!.Value) }, new[] { Clamp(best.Value!.Value) });
            star.Color = TargetLine;
            star.MarkerShape = MarkerShape.OpenCircle;
            star.MarkerSize = 18;
            star.LegendText = $"best: trial {best.Number}";
        }
        AddTarget(plot, report);
        var xs = placed.Select(t => Clamp(X(t)!.Value)).ToList();
        if (xs.Count > 0)
        {
            var (low, high) = (xs.Min(), xs.Max());
            var margin = high > low ? (high - low) * 0.05 : Math.Max(Math.Abs(low) * 0.1, 0.1);
            plot.Axes.SetLimitsX(low - margin, high + margin);
        }
        SetLimitsY(plot, report, placed.Select(t => t.Value));
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Label };
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Label };
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>One bar per parameter, the most important on top, labelled with its share; only for a report whose importance is known.</summary>
    public static byte[] Importance(StudyReport report)
    {
        var shares = report.Importance.Shares;
        var plot = new Plot();
        plot.Title($"which parameters mattered for {report.Target.Metric}");
        plot.XLabel("share of the variance each parameter explains alone");
        var bars = shares.Select((s, rank) => new Bar
        {
            Position = shares.Count - 1 - rank,
            Value = s.Share,
            FillColor = Finished,
            LineWidth = 0,
            Label = ReportFormat.Percent(s.Share),
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontSize = 14;
        plot.Axes.Left.SetTicks([.. bars.Select(b => b.Position)], [.. shares.Select(s => s.Parameter)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        // Room right of the longest bar for its label; ticks every 20% and never past 100%, which no share passes.
        var right = Math.Min(1.15, shares.Max(s => s.Share) * 1.15 + 0.08);
        plot.Axes.SetLimitsX(0, right);
        plot.Axes.SetLimitsY(-0.6, shares.Count - 0.4);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var percent = 0; percent <= 100 && percent / 100.0 <= right; percent += 20) ticks.AddMajor(percent / 100.0, $"{percent}%");
        plot.Axes.Bottom.TickGenerator = ticks;
        return plot.GetImageBytes(Width, ImportanceHeight(shares.Count), ImageFormat.Png);
    }

    /// <summary>The importance chart grows with the parameters, so bars keep a readable thickness.</summary>
    public static int ImportanceHeight(int parameters) => Math.Clamp(110 + 40 * parameters, 240, 900);

    /// <summary>Huge and tiny values in scientific notation: 1e100 written out is a label wider than the chart.</summary>
    private static string Label(double value) => value != 0 && (Math.Abs(value) >= 1e6 || Math.Abs(value) < 1e-4)
        ? value.ToString("0.###E+0", System.Globalization.CultureInfo.InvariantCulture)
        : ScottPlot.TickGenerators.LabelFormatters.Numeric(value);

    private static double Clamp(double value) => Math.Clamp(value, -Drawable, Drawable);

    /// <summary>The drawn values and the target with a margin; a single value gets a band around it.</summary>
    private static void SetLimitsY(Plot plot, StudyReport report, IEnumerable<double?> values)
    {
        var drawn = values.OfType<double>().Where(double.IsFinite).Append(report.Target.Value).Where(double.IsFinite).Select(Clamp).ToList();
        if (drawn.Count == 0) return;
        var (low, high) = (drawn.Min(), drawn.Max());
        var scale = Math.Max(Math.Abs(low), Math.Abs(high));
        // A span near the precision of doubles leaves no room for ticks: the margin never falls below a billionth of the values.
        var margin = high > low ? Math.Max((high - low) * 0.05, Math.Max(scale * 1e-9, 1e-12)) : Math.Max(scale * 0.1, 0.1);
        plot.Axes.SetLimitsY(low - margin, high + margin);
    }

    private static void AddPoints(Plot plot, IEnumerable<ReportTrial> trials, Color color, string legend)
    {
        var withValue = trials.Where(t => t.Value is { } v && double.IsFinite(v)).ToList();
        if (withValue.Count == 0) return;
        var points = plot.Add.ScatterPoints(withValue.Select(t => (double)t.Number).ToArray(), withValue.Select(t => Clamp(t.Value!.Value)).ToArray());
        points.Color = color;
        points.MarkerSize = 8;
        points.LegendText = legend;
    }

    private static void AddTarget(Plot plot, StudyReport report)
    {
        var line = plot.Add.HorizontalLine(Clamp(report.Target.Value));
        line.Color = TargetLine;
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1.5f;
        line.LegendText = $"target {report.Target}";
    }

    private static byte[] Png(Plot plot)
    {
        // Trials and epochs are counted: ticks at 1.2 or 2.6 would mean nothing.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Label };
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
