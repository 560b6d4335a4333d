// Builds the model's runtime image with `autotune image build`.
def call(Map config = [:]) {
    Map defaults = [
        model: null,                          // the folder of the model project (required)
        template: '',                         // dotnet, mlnet, torchsharp-cpu or torchsharp-cuda ('': by the project's packages)
        dockerHost: '',                       // Docker engine endpoint ('': DOCKER_HOST on the agent)
        dryRun: false,                        // print the Dockerfile and its tag; build nothing
        returnStatus: false,                  // return the tool's exit code instead of failing the build on one (as sh's returnStatus)
        tool: env.AUTOTUNE ?: 'autotune',     // the tool's command, as autotuneSetup installed it
    ]
    Map o = defaults + config
    if (!o.model) { error "autotuneImage: 'model' is required (the folder of the model project)" }
    int status
    withEnv(["AUTOTUNE=${o.tool}", "AT_MODEL=${o.model}", "AT_TEMPLATE=${o.template}", "AT_DOCKER_HOST=${o.dockerHost}",
             "AT_DRY_RUN=${o.dryRun ? 'true' : ''}"]) {
        status = sh(returnStatus: true, script: '"$AUTOTUNE" image build "$AT_MODEL" ${AT_TEMPLATE:+--template "$AT_TEMPLATE"} ${AT_DOCKER_HOST:+--docker-host "$AT_DOCKER_HOST"} ${AT_DRY_RUN:+--dry-run}')
    }
    if (o.returnStatus) { return status }
    return autotuneExitCode(step: 'autotuneImage', status: status)
}
