using BreastCancer;

// The row numbers (0-based, after the CSV's header line) that samples/tabular-breast-cancer holds out, one a
// line: the sample's own Split on the same file, so the scikit-learn peer is measured on the same tumours.
if (args.Length != 1) { Console.Error.WriteLine("usage: PeersSplit <breast_cancer.csv>"); return 2; }
var all = BreastCancerData.Load(args[0]);
var row = all.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, ReferenceEqualityComparer.Instance);
var (_, test) = BreastCancerData.Split(all);
foreach (var t in test) Console.WriteLine(row[t]);
return 0;
