// Reads the model's code with `autotune detect --json`; returns the profile as a Map.
def call(Map config = [:]) {
    Map defaults = [
        model: null,                          // the folder of the model project (required)
        tool: env.AUTOTUNE ?: 'autotune',     // the tool's command, as autotuneSetup installed it
    ]
    Map o = defaults + config
    if (!o.model) { error "autotuneDetect: 'model' is required (the folder of the model project)" }
    String out = "${o.model}/.autotune/detect.json"
    int status
    withEnv(["AUTOTUNE=${o.tool}", "AT_MODEL=${o.model}", "AT_OUT=${out}"]) {
        status = sh(returnStatus: true, script: 'mkdir -p "$(dirname "$AT_OUT")" && "$AUTOTUNE" detect "$AT_MODEL" --json > "$AT_OUT"')
    }
    autotuneExitCode(step: 'autotuneDetect', status: status)
    return readJSON(file: out)
}
