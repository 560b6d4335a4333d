using Autotune.Rewrite.Init;
using Autotune.Search;

namespace Autotune.Tests.Rewrite;

/// <summary>
/// The levers people tune, each found in plain code with a decoy beside it: a literal that looks
/// the same but is data, a seed or an evaluation detail, and must stay a literal.
/// </summary>
public sealed class InitLeverTests
{
    private static InitPlan Lift(string program)
    {
        var (plan, temp) = InitFixtures.Lift(program);
        temp.Dispose();
        return plan;
    }

    private static string Lifted(InitPlan plan) =>
        string.Join(", ", plan.Parameters.Select(p => $"{p.Name}={string.Join("|", p.Uses.Select(u => u.Literal))}"));

    [Fact]
    public void Named_learning_rate_and_weight_decay_of_Adam_are_lifted_and_its_eps_is_not()
    {
        var plan = Lift("var optimizer = torch.optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-8, weight_decay: 1e-4);\n");

        Lifted(plan).ShouldBe("LearningRate=1e-3, WeightDecay=1e-4");
        plan.SearchSpace["LearningRate"].Domain.ShouldBe(new RealRange(1e-5, 0.1, Log: true));
        plan.SearchSpace["WeightDecay"].Domain.ShouldBe(new RealRange(1e-6, 1e-2, Log: true));
    }

    [Fact]
    public void A_rate_given_to_Adadelta_is_searched_past_one_where_its_default_lies_and_one_given_to_SGD_stops_at_one()
    {
        var adadelta = Lift("var lr = 0.05;\nvar optimizer = torch.optim.Adadelta(model.parameters(), lr);\n");
        var sgd = Lift("var lr = 0.05;\nvar optimizer = torch.optim.SGD(model.parameters(), lr);\n");

        adadelta.SearchSpace["LearningRate"].Domain.ShouldBe(new RealRange(5e-4, 5.0, Log: true));
        sgd.SearchSpace["LearningRate"].Domain.ShouldBe(new RealRange(5e-4, 1.0, Log: true));
    }

    [Fact]
    public void A_method_of_the_model_named_Adadelta_does_not_raise_the_rate_ceiling()
    {
        var plan = Lift("""
            var lr = 0.05;
            var optimizer = torch.optim.SGD(model.parameters(), lr);
            Adadelta(3);
            static void Adadelta(int n) { }
            """);

        plan.SearchSpace["LearningRate"].Domain.ShouldBe(new RealRange(5e-4, 1.0, Log: true));
    }

    [Fact]
    public void A_layer_count_of_one_is_lifted_beside_loops_that_start_at_one_but_a_width_that_another_literal_repeats_is_not()
    {
        var plan = Lift("""
            var hiddenLayers = 1;
            var hiddenSize = 16;
            for (var i = 0; i < hiddenLayers; i++) layers.Add(Linear(hiddenSize, hiddenSize));
            for (var k = 1; k < names.Length; k += 1) Console.WriteLine(names[k]);
            var flat = x.view(-1, 16 * 4);
            """);

        Lifted(plan).ShouldBe("HiddenLayers=1");
        plan.SearchSpace["HiddenLayers"].Domain.ShouldBe(new IntRange(1, 2));
    }

    [Fact]
    public void A_property_default_that_every_object_initializer_overrides_is_not_lifted_and_the_initializers_value_is()
    {
        var plan = Lift("""
            var config = new TrainConfig { LearningRate = 0.01, Epochs = 5 };
            var other = new Options { Dropout = 0.3 };
            var again = new Options();
            public sealed class TrainConfig
            {
                public double LearningRate { get; init; } = 1e-3;
                public int Epochs { get; init; } = 10;
                public int BatchSize { get; init; } = 32;
            }
            public sealed class Options { public double Dropout { get; init; } = 0.1; }
            """);

        // BatchSize's default is what every run trains with; Options is also made without an initializer, so its default lives.
        Lifted(plan).ShouldBe("LearningRate=0.01, Epochs=5, Dropout=0.3, BatchSize=32, Dropout2=0.1");
    }

    [Fact]
    public void Penalties_and_iterations_of_MLNET_linear_trainers_are_lifted_and_their_tolerance_and_threads_are_not()
    {
        var plan = Lift("""
            var sdca = ml.BinaryClassification.Trainers.SdcaLogisticRegression("Label", "Features", null, 0.5f, 0f, 20);
            var lbfgs = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                L2Regularization = 2f,
                OptimizationTolerance = 1e-7f,
                NumberOfThreads = 1,
            });
            var trees = new FastTreeBinaryTrainer.Options { FeatureFraction = 0.8, NumberOfTrees = 50 };
            """);

        Lifted(plan).ShouldBe("L2Regularization=0.5f, L1Regularization=0f, MaximumNumberOfIterations=20, L2Regularization2=2f, FeatureFraction=0.8, NumberOfTrees=50");
        // A float block holds its choices as floats: 1e-4f read back is 9.99999974737875E-05.
        ((Choice)plan.SearchSpace["L1Regularization"].Domain).Values.Select(v => Math.Round((double)v, 6)).ShouldBe([0.0, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]);
        plan.SearchSpace["MaximumNumberOfIterations"].Domain.ShouldBe(new IntRange(5, 100, Log: true));
        plan.SearchSpace["FeatureFraction"].Domain.ShouldBe(new RealRange(0.3, 1.0));
    }

    [Fact]
    public void Named_momentum_argument_of_SGD_is_lifted_with_range_0_to_0_99_and_its_dampening_is_not()
    {
        var plan = Lift("var optimizer = torch.optim.SGD(model.parameters(), 0.01, momentum: 0.9, dampening: 0.1);\n");

        Lifted(plan).ShouldBe("LearningRate=0.01, Momentum=0.9");
        plan.SearchSpace["LearningRate"].Domain.ShouldBe(new RealRange(1e-4, 1.0, Log: true));
        plan.SearchSpace["Momentum"].Domain.ShouldBe(new RealRange(0, 0.99));
    }

    [Fact]
    public void A_momentum_or_learning_rate_the_code_leaves_to_the_optimizers_default_is_written_in_by_name_and_one_it_passes_is_not()
    {
        var plan = Lift("""
            var sgd = torch.optim.SGD(model.parameters(), 0.01);
            var adam = optim.Adam(model.parameters());
            var withMomentum = optim.SGD(model.parameters(), 0.05, 0.9);
            var notTorch = Helpers.Adam(model.parameters());
            """);

        Lifted(plan).ShouldBe("LearningRate=0.01, LearningRate2=0.05, Momentum=0.9, Momentum2=, LearningRate3=");
        plan.SearchSpace["Momentum2"].Domain.ShouldBe(new RealRange(0, 0.99));
        plan.SearchSpace["Momentum2"].Current.ShouldBe(0.0); // TorchSharp's default: the code as it is trains as before
        plan.SearchSpace["LearningRate3"].Domain.ShouldBe(new RealRange(1e-5, 0.1, Log: true));
        plan.Parameters.Single(p => p.Name == "Momentum2").Uses.Single().Replacement.ShouldBe(", momentum: Hyper.Momentum2");
    }

    [Fact]
    public void The_default_a_variable_takes_when_no_argument_overrides_it_is_lifted_and_a_choice_between_two_literals_is_not()
    {
        var plan = Lift("""
            var lr = args.Length > 0 ? double.Parse(args[0]) : 3e-4;
            int? fromEnv = null;
            var epochs = fromEnv ?? 10;
            var dropout = args.Length > 1 ? 0.5 : 0.1;
            var seed = args.Length > 2 ? int.Parse(args[2]) : 42;
            """);

        Lifted(plan).ShouldBe("LearningRate=3e-4, Epochs=10");
    }

    [Fact]
    public void A_method_of_the_models_own_named_like_an_optimizer_gets_no_argument_written_in()
    {
        var plan = Lift("""
            var sgd = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
            var mine = SGD(3);
            static int SGD(int steps) => steps;
            static class optim { public static int SGD(object p, double lr, double momentum) => 0; }
            """);

        Lifted(plan).ShouldBe("LearningRate=0.01, Momentum=0.9");
    }

    [Fact]
    public void Optimizer_arguments_written_in_by_init_compile_against_TorchSharp_and_take_the_trials_values()
    {
        var (plan, temp) = InitFixtures.Lift("""
            using TorchSharp;
            using static TorchSharp.torch;
            var model = nn.Linear(2, 1);
            var sgd = optim.SGD(model.parameters(), 0.01);
            var rms = optim.RMSProp(model.parameters());
            var adam = optim.Adam(model.parameters());
            Console.WriteLine($"{sgd} {rms} {adam}");
            """);
        using var _ = temp;
        plan.Parameters.Select(p => p.Name).ShouldBe(["LearningRate", "Momentum", "LearningRate2", "Momentum2", "LearningRate3"]);

        InitLifter.Apply(plan, temp.Path, new Assignment(new Dictionary<string, object> { ["Momentum"] = 0.9, ["LearningRate3"] = 3e-4 }));

        InitFixtures.CompileErrors(temp.Path).ShouldBeEmpty();
        File.ReadAllText(Path.Combine(temp.Path, "Program.cs")).ShouldContain("optim.SGD(model.parameters(), Hyper.LearningRate, momentum: Hyper.Momentum)");
        File.ReadAllText(Path.Combine(temp.Path, "Hyper.cs")).ShouldMatch(@"const double\s+Momentum\s+= 0\.9;");
    }

    [Fact]
    public void Positional_betas_of_Adam_are_lifted_in_their_own_ranges_and_the_positional_eps_is_not()
    {
        var plan = Lift("var optimizer = optim.AdamW(model.parameters(), 3e-4, 0.85, 0.995, 1e-7, 0.01);\n");

        Lifted(plan).ShouldBe("LearningRate=3e-4, Beta1=0.85, Beta2=0.995, WeightDecay=0.01");
        plan.SearchSpace["Beta1"].Domain.ShouldBe(new RealRange(0.8, 0.99));
        plan.SearchSpace["Beta2"].Domain.ShouldBe(new RealRange(0.9, 0.9999));
        plan.SearchSpace["WeightDecay"].Domain.ShouldBe(new RealRange(1e-4, 0.1, Log: true));
    }

    [Fact]
    public void RMSProp_positional_momentum_and_zero_weight_decay_are_lifted_and_its_alpha_is_not_taken_for_momentum()
    {
        var plan = Lift("var optimizer = optim.RMSProp(model.parameters(), 0.01, 0.99, 1e-8, 0.0, 0.9);\n");

        Lifted(plan).ShouldBe("LearningRate=0.01, WeightDecay=0.0, Momentum=0.9");
        plan.SearchSpace["WeightDecay"].Domain.ShouldBe(new Choice([0.0, 1e-5, 1e-4, 1e-3, 1e-2]));
    }

    [Fact]
    public void Adagrad_learning_rate_is_lifted_and_its_learning_rate_decay_is_not()
    {
        var plan = Lift("var optimizer = optim.Adagrad(model.parameters(), lr: 0.05, lr_decay: 1e-4);\n");

        Lifted(plan).ShouldBe("LearningRate=0.05");
    }

    [Fact]
    public void Options_of_an_MLNET_trainer_are_lifted_and_its_seed_is_not()
    {
        var plan = Lift("""
            var options = new FastTreeBinaryTrainer.Options { NumberOfTrees = 100, LearningRate = 0.2, NumberOfLeaves = 20, Seed = 7 };
            var trainer = mlContext.BinaryClassification.Trainers.FastTree(options);
            """);

        Lifted(plan).ShouldBe("NumberOfTrees=100, LearningRate=0.2, NumberOfLeaves=20");
        plan.SearchSpace["LearningRate"].Domain.ShouldBe(new RealRange(0.002, 1.0, Log: true));
    }

    [Fact]
    public void Step_size_and_gamma_of_a_schedule_are_lifted_and_its_milestones_are_not()
    {
        var plan = Lift("""
            var step = optim.lr_scheduler.StepLR(optimizer, 10, 0.5);
            var multi = optim.lr_scheduler.MultiStepLR(optimizer, new[] { 30, 80 }, gamma: 0.2);
            """);

        Lifted(plan).ShouldBe("StepSize=10, Gamma=0.5, Gamma2=0.2");
        plan.SearchSpace["StepSize"].Domain.ShouldBe(new IntRange(2, 40, Log: true));
        plan.SearchSpace["Gamma"].Domain.ShouldBe(new RealRange(0.1, 0.99));
    }

    [Fact]
    public void Early_stopping_patience_is_lifted_up_to_four_times_and_a_seed_of_the_same_value_is_not()
    {
        var plan = Lift("""
            var seed = 3;
            var patience = 3;
            var plateau = optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor: 0.5, patience: 2);
            Console.WriteLine(seed + patience);
            """);

        Lifted(plan).ShouldBe("Patience=3, Gamma=0.5, Patience2=2");
        plan.SearchSpace["Patience"].Domain.ShouldBe(new IntRange(1, 12));
    }

    [Fact]
    public void Epochs_range_from_the_code_value_up_to_four_times_it()
    {
        var plan = Lift("for (var epoch = 0; epoch < 5; epoch++) optimizer.step();\n");

        plan.SearchSpace["Epochs"].Domain.ShouldBe(new IntRange(5, 20));
        Lift("for (var epoch = 0; epoch < 1; epoch++) optimizer.step();\n").SearchSpace["Epochs"].Domain.ShouldBe(new IntRange(1, 4));
    }

    [Fact]
    public void A_training_data_loader_batch_size_is_lifted_and_a_test_loaders_is_not()
    {
        var plan = Lift("""
            var train = torch.utils.data.DataLoader(trainSet, 64, shuffle: true);
            var test = torch.utils.data.DataLoader(testSet, 1000);
            """);

        Lifted(plan).ShouldBe("BatchSize=64");
        plan.SearchSpace["BatchSize"].Domain.ShouldBe(new Choice([16L, 32L, 64L, 128L, 256L, 512L, 1024L]));
    }

    [Fact]
    public void A_loop_stride_and_its_narrow_length_are_one_batch_size_and_an_evaluation_loop_in_chunks_of_1000_is_not()
    {
        var plan = Lift("""
            for (var epoch = 0; epoch < 3; epoch++)
            {
                for (int i = 0; i < n; i += 64)
                {
                    var loss = loss_fn(model.forward(x.narrow(0, i, Math.Min(64, n - i))), y.narrow(0, i, Math.Min(64, n - i)));
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
                for (int i = 0; i < nTest; i += 1000)
                    correct += model.forward(testX.narrow(0, i, Math.Min(1000, nTest - i))).argmax(1).eq(testY.narrow(0, i, Math.Min(1000, nTest - i))).sum().item<long>();
            }
            """);

        Lifted(plan).ShouldBe("Epochs=3, BatchSize=64|64|64");
        plan.Parameters.Single(p => p.Name == "BatchSize").Uses.Select(u => u.Line).Distinct().ShouldBe([3, 5]);
    }

    [Theory]
    [InlineData("data.AsSpan(i, 32)")]
    [InlineData("data.Skip(i).Take(32).ToArray()")]
    [InlineData("data[i..Math.Min(i + 32, data.Length)]")]
    public void A_loop_stride_is_lifted_with_the_slice_length_however_the_slice_is_written(string slice)
    {
        var plan = Lift($$"""
            for (var i = 0; i < data.Length; i += 32)
            {
                var batch = {{slice}};
                optimizer.step();
            }
            """);

        Lifted(plan).ShouldBe("BatchSize=32|32");
    }

    [Fact]
    public void A_loop_stride_whose_value_the_body_also_uses_for_something_else_is_left_alone()
    {
        var plan = Lift("""
            for (var i = 0; i < n; i += 32)
            {
                var batch = x.narrow(0, i, 32).reshape(32, 28, 28);
                optimizer.step();
            }
            """);

        plan.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void The_lifted_batch_loop_still_covers_every_example_exactly_once_with_another_batch_size()
    {
        var (plan, temp) = InitFixtures.Lift("""
            var data = Enumerable.Range(1, 1000).Select(k => (double)k).ToArray();
            var optimizer = new Optimizer();
            var seen = 0.0;
            var batches = 0;
            for (int i = 0; i < data.Length; i += 64)
            {
                foreach (var x in data.AsSpan(i, Math.Min(64, data.Length - i))) seen += x;
                batches++;
                optimizer.step();
            }
            // An evaluation in chunks of 1000: the same sum, and not a batch size.
            var check = 0.0;
            for (int i = 0; i < data.Length; i += 1000)
                foreach (var x in data.AsSpan(i, Math.Min(1000, data.Length - i))) check += x;
            return seen == check ? batches : -1;

            sealed class Optimizer { public void step() { } }
            """);
        using var _ = temp;
        Lifted(plan).ShouldBe("BatchSize=64|64");

        InitLifter.Apply(plan, temp.Path, new Assignment(new Dictionary<string, object> { ["BatchSize"] = 128L }));

        InitFixtures.RunProgram(temp.Path).ShouldBe(8); // 1000 examples in batches of 128, the last one short
    }

    [Theory]
    [InlineData(LiftRole.LearningRate, 1e-3, 1e-5, 0.1, true)]
    [InlineData(LiftRole.LearningRate, 0.1, 1e-3, 1.0, true)]
    [InlineData(LiftRole.LearningRate, 2.0, 0.02, 200.0, true)]
    [InlineData(LiftRole.Momentum, 0.9, 0.0, 0.99, false)]
    [InlineData(LiftRole.WeightDecay, 5e-4, 5e-6, 0.05, true)]
    [InlineData(LiftRole.Beta1, 0.9, 0.8, 0.99, false)]
    [InlineData(LiftRole.Beta2, 0.999, 0.9, 0.9999, false)]
    [InlineData(LiftRole.Dropout, 0.6, 0.0, 0.6, false)]
    [InlineData(LiftRole.Gamma, 0.05, 0.05, 0.99, false)]
    public void Default_real_ranges_follow_the_documented_rule_and_hold_the_code_value(LiftRole role, double value, double min, double max, bool log)
    {
        var domain = LiftRoles.DefaultDomain(role, value, null);

        domain.ShouldBe(new RealRange(min, max, log));
        domain!.Contains(value).ShouldBeTrue();
    }

    [Theory]
    [InlineData(LiftRole.Epochs, 10L, 10L, 40L, false)]
    [InlineData(LiftRole.Patience, 5L, 1L, 20L, false)]
    [InlineData(LiftRole.StepSize, 30L, 7L, 120L, true)]
    [InlineData(LiftRole.Layers, 2L, 1L, 4L, false)]
    [InlineData(LiftRole.Trees, 4L, 1L, 500L, true)]
    [InlineData(LiftRole.Trees, 200L, 50L, 800L, true)]
    [InlineData(LiftRole.Leaves, 2L, 2L, 64L, true)]
    [InlineData(LiftRole.Leaves, 31L, 2L, 124L, true)]
    [InlineData(LiftRole.MinExamplesPerLeaf, 60L, 1L, 240L, true)]
    public void Default_integer_ranges_follow_the_documented_rule_and_hold_the_code_value(LiftRole role, long value, long min, long max, bool log)
    {
        LiftRoles.DefaultDomain(role, value, null).ShouldBe(new IntRange(min, max, Log: log));
    }

    [Theory]
    [InlineData(LiftRole.Width, 128L, new long[] { 32, 64, 128, 256, 512, 1024 })]
    [InlineData(LiftRole.Width, 100L, new long[] { 32, 64, 100, 128, 256, 512 })]
    [InlineData(LiftRole.BatchSize, 64L, new long[] { 16, 32, 64, 128, 256, 512, 1024 })]
    [InlineData(LiftRole.BatchSize, 8L, new long[] { 8, 16, 32, 64, 128, 256, 512, 1024 })]
    [InlineData(LiftRole.BatchSize, 2000L, new long[] { 16, 32, 64, 128, 256, 512, 1024, 2000 })]
    public void Widths_span_a_quarter_to_eight_times_and_batch_sizes_16_to_1024_in_powers_of_two(LiftRole role, long value, long[] expected)
    {
        LiftRoles.DefaultDomain(role, value, null).ShouldBe(new Choice(expected.Cast<object>().ToList()));
    }
}
