// Maps an exit code of the autotune tool to the build result, from resources/autotune/exit-codes.json.
def call(Map config = [:]) {
    Map defaults = [
        step: 'autotune',   // the step whose command exited, named in the message
        status: null,       // the exit code (required)
    ]
    Map o = defaults + config
    if (o.status == null) { error "autotuneExitCode: 'status' is required (the tool's exit code)" }
    Map codes = readJSON(text: libraryResource('autotune/exit-codes.json'))
    Map code = codes[o.status.toString()] ?: [result: 'FAILURE', meaning: 'unexpected exit code']
    if (code.result == 'UNSTABLE') {
        unstable "${o.step}: ${code.meaning} (exit ${o.status})"
    } else if (code.result != 'SUCCESS') {
        error "${o.step}: ${code.meaning} (exit ${o.status})"
    }
    return code.result
}
