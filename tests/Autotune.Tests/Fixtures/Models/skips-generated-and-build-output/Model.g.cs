[Autotune.Hyperparameters]
public static class Shadow
{
    [Autotune.Choice(1, 2)] public const int Ignored = 1;
}
