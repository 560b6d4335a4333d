using System.Globalization;
using Microsoft.ML.Data;

namespace BreastCancer;

/// <summary>One tumour: the 30 nucleus features of its fine-needle aspirate, and whether it is malignant.</summary>
public sealed class Tumour
{
    public const int FeatureCount = 30;

    [VectorType(FeatureCount)] public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

/// <summary>
/// The Breast Cancer Wisconsin (Diagnostic) data set as scikit-learn ships it (breast_cancer.csv: a first
/// line "569,30,malignant,benign", then 30 features and the class per row, 0 = malignant, 1 = benign),
/// and its fixed, stratified hold-out split.
/// </summary>
public static class BreastCancerData
{
    public const string FileName = "breast_cancer.csv";

    /// <summary>The copy built next to the program (which a container sees), else the cache fetch-data.sh fills.</summary>
    public static string? Find()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("BREAST_CANCER_DIR") is { Length: > 0 } dir) candidates.Add(Path.Combine(dir, FileName));
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "data", FileName));
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } c ? c
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        candidates.Add(Path.Combine(cache, "autotune", "breast-cancer", FileName));
        return candidates.FirstOrDefault(File.Exists);
    }

    public static List<Tumour> Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var rows = int.Parse(header[0], CultureInfo.InvariantCulture);
        if (header.Length < 2 || int.Parse(header[1], CultureInfo.InvariantCulture) != Tumour.FeatureCount || lines.Length - 1 < rows)
            throw new InvalidDataException($"{path}: expected scikit-learn's breast_cancer.csv ({Tumour.FeatureCount} features), found the header '{lines[0]}'");
        var tumours = new List<Tumour>(rows);
        foreach (var line in lines.Skip(1).Take(rows))
        {
            var cells = line.Split(',');
            var features = new float[Tumour.FeatureCount];
            for (var i = 0; i < features.Length; i++) features[i] = float.Parse(cells[i], CultureInfo.InvariantCulture);
            tumours.Add(new Tumour { Features = features, Label = cells[Tumour.FeatureCount].Trim() == "0" });
        }
        return tumours;
    }

    /// <summary>
    /// The same quarter of each class is held out on every run: the split's seed is fixed here, not the
    /// trial's, so every trial of every study is measured on the same tumours.
    /// </summary>
    public static (List<Tumour> Train, List<Tumour> Test) Split(IReadOnlyList<Tumour> all, double testFraction = 0.25, int seed = 2026)
    {
        var random = new Random(seed);
        var train = new List<Tumour>();
        var test = new List<Tumour>();
        foreach (var group in all.GroupBy(t => t.Label).OrderBy(g => g.Key))
        {
            var shuffled = group.ToArray();
            random.Shuffle(shuffled);
            var held = (int)Math.Round(shuffled.Length * testFraction);
            test.AddRange(shuffled.Take(held));
            train.AddRange(shuffled.Skip(held));
        }
        return (train, test);
    }
}
