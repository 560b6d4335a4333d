// Lists a study's trials with `autotune trials --json`; returns the list of trials (number, state, value, values).
def call(Map config = [:]) {
    Map defaults = [
        model: null,                          // the folder of the model project (required)
        study: '',                            // study name ('': the project's name)
        tool: env.AUTOTUNE ?: 'autotune',     // the tool's command, as autotuneSetup installed it
    ]
    Map o = defaults + config
    if (!o.model) { error "autotuneTrials: 'model' is required (the folder of the model project)" }
    String out = "${o.model}/.autotune/trials.json"
    int status
    withEnv(["AUTOTUNE=${o.tool}", "AT_MODEL=${o.model}", "AT_STUDY=${o.study}", "AT_OUT=${out}"]) {
        status = sh(returnStatus: true, script: 'mkdir -p "$(dirname "$AT_OUT")" && "$AUTOTUNE" trials "$AT_MODEL" ${AT_STUDY:+--study "$AT_STUDY"} --json > "$AT_OUT"')
    }
    autotuneExitCode(step: 'autotuneTrials', status: status)
    return readJSON(file: out).trials
}
