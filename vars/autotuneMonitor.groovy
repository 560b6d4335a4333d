// Re-attaches to trial containers left by an earlier run with `autotune monitor`.
def call(Map config = [:]) {
    Map defaults = [
        study: '',                            // only this study's containers ('': every container autotune made)
        dockerHost: '',                       // Docker engine endpoint ('': DOCKER_HOST on the agent)
        retries: 3,                           // restarts from the last checkpoint per trial
        tool: env.AUTOTUNE ?: 'autotune',     // the tool's command, as autotuneSetup installed it
    ]
    Map o = defaults + config
    if (o.retries == null || o.retries.toString().isEmpty()) { error "autotuneMonitor: 'retries' is required (restarts per trial)" }
    int status
    withEnv(["AUTOTUNE=${o.tool}", "AT_STUDY=${o.study}", "AT_DOCKER_HOST=${o.dockerHost}", "AT_RETRIES=${o.retries}"]) {
        status = sh(returnStatus: true, script: '"$AUTOTUNE" monitor ${AT_STUDY:+--study "$AT_STUDY"} ${AT_DOCKER_HOST:+--docker-host "$AT_DOCKER_HOST"} --retries "$AT_RETRIES"')
    }
    return autotuneExitCode(step: 'autotuneMonitor', status: status)
}
