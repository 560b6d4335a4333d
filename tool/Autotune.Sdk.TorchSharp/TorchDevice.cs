using TorchSharp;
using static TorchSharp.torch;

namespace Autotune.TorchSharp;

/// <summary>The device a trial asked for (auto, cpu, cuda, cuda:N) could not be had.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);

/// <summary>Turns a trial's device request into a TorchSharp device.</summary>
public static class TorchDevice
{
    /// <summary>
    /// auto takes CUDA when TorchSharp can use it, else the CPU; cpu and cuda[:N] are taken as asked,
    /// and a CUDA device that is not there is an error rather than a silent fallback.
    /// </summary>
    public static Device Resolve(string request)
    {
        var r = request.Trim().ToLowerInvariant();
        if (r is "" or "auto") return CudaAvailable() ? new Device(DeviceType.CUDA, 0) : CPU;
        if (r == "cpu") return CPU;
        if (r == "cuda" || r.StartsWith("cuda:", StringComparison.Ordinal))
        {
            var index = 0;
            if (r.Length > 4 && (!int.TryParse(r[5..], out index) || index < 0))
                throw new ArgumentException($"unknown device '{request}': use auto, cpu, cuda or cuda:N");
            if (!CudaAvailable()) throw new DeviceUnavailableException($"device '{request}' asked for, but CUDA is not available to TorchSharp on this machine");
            var count = cuda.device_count();
            if (index >= count) throw new DeviceUnavailableException($"device '{request}' asked for, but this machine has {count} CUDA device(s)");
            return new Device(DeviceType.CUDA, index);
        }
        throw new ArgumentException($"unknown device '{request}': use auto, cpu, cuda or cuda:N");
    }

    /// <summary>
    /// The trial's device, told to the tool; when it cannot be had the program ends through
    /// <see cref="Trial.Fail"/>, which the tool turns into one line and exit 5 (2 for a malformed name).
    /// </summary>
    public static Device ForTrial(Trial trial)
    {
        try
        {
            var device = Resolve(trial.Device);
            trial.ReportDevice(device.type == DeviceType.CUDA ? $"cuda:{device.index}" : "cpu");
            return device;
        }
        catch (DeviceUnavailableException e) { trial.Fail(TrialFailure.Infrastructure, e.Message); throw; }
        catch (ArgumentException e) { trial.Fail(TrialFailure.InvalidInput, e.Message); throw; }
    }

    private static bool CudaAvailable()
    {
        try
        {
            InitializeDeviceType(DeviceType.CUDA);
            return cuda.is_available();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false; // no CUDA libtorch on this machine: the CPU package was loaded
        }
    }
}
