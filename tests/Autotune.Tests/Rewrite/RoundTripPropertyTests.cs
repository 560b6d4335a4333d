using Autotune.Detect;
using Autotune.Rewrite;
using Autotune.Search;

namespace Autotune.Tests.Rewrite;

/// <summary>Random assignments over every supported type render, parse, and read back through Detect to the same values.</summary>
public sealed class RoundTripPropertyTests
{
    private const string Prefix = "// before the block: kept as is  \r\nusing Autotune;\nnamespace P;\n\npublic enum Mode { Fast, Careful, Exhaustive }\n\n";
    private const string Block = """
        [Hyperparameters]
        public static class All
        {
            // widths are tuned together
            [Range(-50, 50)]                     public const int     I    = 0;
            [Range(1, 400, Step = 3)]            public const int     Step = 4;
            [Choice(1, 2, 3)]                    public const short   S    = 2;
            [Range(0, 255)]                      public const byte    B    = 8;
            [Range(-128, 127)]                   public const sbyte   Sb   = -1;
            [Range(0, 65535)]                    public const ushort  Us   = 9;
            [Range(0, 4000000000)]               public const uint    U    = 7;
            [LogRange(1, 9000000000000000000)]   public const long    L    = 1000; // log scale
            [Range(-1.5, 1e6)]                   public const double  D    = 0.5;
            [LogRange(1e-12, 1e-1)]              public const double  Lr   = 1e-3;
            [Range(-2.5, 2.5)]                   public const float   F    = 0.25f;
            [Choice(true, false)]                public const bool    Flag = true;
            [Choice("a", "b c", "d\"e", "")]     public const string  Str  = "a";
            [Choice(Mode.Fast, Mode.Careful, Mode.Exhaustive)] public const Mode M = Mode.Fast;
        }
        """;
    private const string Suffix = "\n\nstatic class Use { static object[] all = [All.I, All.Step, All.S, All.B, All.Sb, All.Us, All.U, All.L, All.D, All.Lr, All.F, All.Flag, All.Str, All.M]; }\t \n";

    private static object RandomValue(Random r, Parameter p) => p.Domain switch
    {
        IntRange { Log: true } d => (long)Math.Clamp(Math.Exp(Math.Log(d.Min) + r.NextDouble() * (Math.Log(d.Max) - Math.Log(d.Min))), d.Min, d.Max),
        IntRange d => d.Min + r.NextInt64(0, (d.Max - d.Min) / d.Step + 1) * d.Step,
        RealRange { Log: true } d => Math.Clamp(Math.Exp(Math.Log(d.Min) + r.NextDouble() * (Math.Log(d.Max) - Math.Log(d.Min))), d.Min, d.Max),
        RealRange d when p.Type == "float" => Math.Clamp((double)(float)(d.Min + r.NextDouble() * (d.Max - d.Min)), d.Min, d.Max),
        RealRange d => d.Min + r.NextDouble() * (d.Max - d.Min),
        Choice c => c.Values[r.Next(c.Values.Count)],
        _ => throw new InvalidOperationException(),
    };

    [Fact]
    public void Random_assignments_over_every_type_read_back_unchanged_with_the_rest_of_the_file_untouched()
    {
        var source = Prefix + Block + Suffix;
        var problems = new List<DetectProblem>();
        var block = HyperparameterBlockReader.Read([SourceFile.Parse("All.cs", "/nowhere/All.cs", source)], problems)!;
        problems.ShouldBeEmpty();
        block.Parameters.Count.ShouldBe(14);
        var random = new Random(20261123);

        for (var trial = 0; trial < 300; trial++)
        {
            var values = new Assignment(block.Parameters.ToDictionary(p => p.Name, p => RandomValue(random, p.Parameter)));

            var result = BlockRewriter.Render(source, block, values);

            result.ShouldStartWith(Prefix);
            result.ShouldEndWith(Suffix);
            var file = SourceFile.Parse("All.cs", "/nowhere/All.cs", result);
            file.Tree.GetDiagnostics().ShouldBeEmpty();
            var reread = HyperparameterBlockReader.Read([file], [])!;
            new Assignment(reread.Parameters.ToDictionary(p => p.Name, p => p.Current)).ShouldBe(values, $"trial {trial}");
            reread.SearchSpace.Parameters.Select(p => p.Domain).ShouldBe(block.SearchSpace.Parameters.Select(p => p.Domain));
            result.ShouldContain("// widths are tuned together");
            result.ShouldContain("// log scale");
        }
    }
}
