using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autotune.TorchSharp;

/// <summary>
/// Saves and restores what a TorchSharp training loop needs to continue bit-exactly: the model's
/// weights, the optimizer's state and the number of finished epochs. Random state is not saved:
/// the loop reseeds from (seed, epoch) at the start of every epoch, which makes it unnecessary.
/// </summary>
public static class TorchCheckpoint
{
    private const string ModelFile = "model.bin";
    private const string OptimizerFile = "optimizer.bin";
    private const string StateFile = "state.json";

    public static void Save(Trial trial, int epoch, nn.Module model, OptimizerHelper optimizer, string architecture = "")
    {
        trial.Checkpoints.Save(epoch, folder =>
        {
            model.save(Path.Combine(folder, ModelFile));
            optimizer.save_state_dict(Path.Combine(folder, OptimizerFile));
            File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(new State(epoch, architecture)));
        });
    }

    /// <summary>
    /// Loads the newest whole checkpoint of the trial into the model and optimizer, and returns the
    /// number of epochs it holds (0 when there is none: train from the start). A checkpoint another
    /// architecture saved cannot be loaded into this model: the program ends through
    /// <see cref="Trial.Fail"/> as invalid input (the tool's exit 2, one line) instead of crashing.
    /// Checkpoints hold no device: TorchSharp saves tensors' bytes from the CPU and loads them into
    /// the model's own tensors, wherever the resumed run has put them.
    /// </summary>
    public static int Restore(Trial trial, nn.Module model, OptimizerHelper optimizer, string architecture = "")
    {
        var checkpoint = trial.Checkpoints.Latest();
        if (checkpoint is null) return 0;
        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(checkpoint.File(StateFile)))!;
        if (state.Architecture != architecture)
        {
            var message = $"checkpoint {checkpoint.Folder} was saved by a different architecture ({state.Architecture}, now {architecture}): delete it or start a new trial folder";
            if (trial.UnderTool) trial.Fail(TrialFailure.InvalidInput, message);
            throw new InvalidDataException(message);
        }
        model.load(checkpoint.File(ModelFile));
        optimizer.load_state_dict(checkpoint.File(OptimizerFile));
        return state.Epoch;
    }

    private sealed record State(int Epoch, string Architecture);
}
