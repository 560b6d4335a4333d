// Builds the model program and trains it once with `autotune train`.
def call(Map config = [:]) {
    Map defaults = [
        model: null,                          // the folder of the model project (required)
        epochs: '',                           // epochs to train ('': the hyperparameter block's own count)
        seed: '',                             // seed handed to the program ('': the program's own)
        device: 'auto',                       // auto, cpu, cuda or cuda:N
        runner: 'process',                    // process (a child process) or docker (a container)
        retries: 3,                           // restarts from the last checkpoint when the program dies
        tool: env.AUTOTUNE ?: 'autotune',     // the tool's command, as autotuneSetup installed it
    ]
    Map o = defaults + config
    if (!o.model) { error "autotuneTrain: 'model' is required (the folder of the model project)" }
    int status
    withEnv(["AUTOTUNE=${o.tool}", "AT_MODEL=${o.model}", "AT_EPOCHS=${o.epochs}", "AT_SEED=${o.seed}",
             "AT_DEVICE=${o.device}", "AT_RUNNER=${o.runner}", "AT_RETRIES=${o.retries}"]) {
        status = sh(returnStatus: true, script: '"$AUTOTUNE" train "$AT_MODEL" ${AT_EPOCHS:+--epochs "$AT_EPOCHS"} ${AT_SEED:+--seed "$AT_SEED"} --device "$AT_DEVICE" --runner "$AT_RUNNER" --retries "$AT_RETRIES"')
    }
    return autotuneExitCode(step: 'autotuneTrain', status: status)
}
