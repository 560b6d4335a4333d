// Chooses how trials train on this agent: 'docker' (containers of the model's runtime image) or 'process'.
def call(Map config = [:]) {
    Map defaults = [
        model: null,                          // the folder of the model project (required): its autotune.json may name the runner
        runner: '',                           // process or docker as given ('': autotune.json's, else docker when the agent has an engine, else process)
        dockerHost: '',                       // Docker engine endpoint ('': DOCKER_HOST on the agent, else its socket)
        step: 'autotuneRunner',               // the step named in the log lines
    ]
    Map o = defaults + config
    if (!o.model) { error "${o.step}: 'model' is required (the folder of the model project)" }
    if (!(o.runner in ['', 'process', 'docker'])) { error "${o.step}: runner '${o.runner}' is not one of process, docker ('': docker when the agent has an engine)" }
    if (o.runner) { return o.runner }
    String settings = "${o.model}/autotune.json"
    if (fileExists(settings)) {
        Map file = readJSON(file: settings)
        if (file.runner in ['process', 'docker']) {
            echo "${o.step}: trials train with the ${file.runner} runner (${settings})"
            return file.runner
        }
    }
    // The endpoint the tool will be given: docker reads DOCKER_HOST as the tool does.
    int engine
    withEnv(o.dockerHost ? ["DOCKER_HOST=${o.dockerHost}"] : []) {
        engine = sh(returnStatus: true, script: 'docker info > /dev/null 2>&1')
    }
    if (engine == 0) {
        echo "${o.step}: trials train in containers of the model's runtime image (a Docker engine answered on this agent; runner: 'process' opts out)"
        return 'docker'
    }
    String why = engine == 127 ? 'no docker command' : "`docker info` exited ${engine}"
    echo "WARNING: ${o.step}: no Docker engine on this agent (${why}): trials train as plain processes; install Docker for containers, or pass runner: 'process' to say so"
    return 'process'
}
