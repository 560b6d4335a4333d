// Tunes the model with `autotune run`; UNSTABLE when the budget is spent without reaching the target.
def call(Map config = [:]) {
    Map defaults = [
        model: null,                          // the folder of the model project (required)
        target: null,                         // the goal, such as 'accuracy>=0.99' (required)
        constraints: [],                      // bounds a trial must meet besides the target, such as ['params<=200000']
        minimize: [],                         // metrics to keep low besides the target, first decides first, such as ['params']
        maxTrials: 20,                        // trials at most
        maxEpochs: '',                        // epochs each trial may train ('': the block's own count)
        timeout: '',                          // seconds the whole study may take ('': no limit)
        strategy: 'tpe',                      // tpe, random or grow
        seed: 0,                              // seed of the search and of every trial
        device: 'auto',                       // auto, cpu, cuda or cuda:N
        study: '',                            // study name ('': the project's name); the same name resumes
        apply: true,                          // write the best values into the source
        asha: true,                           // stop weak trials early by successive halving
        runner: '',                           // process or docker ('': autotune.json's runner, else process)
        dockerHost: '',                       // Docker engine endpoint for runner docker ('': DOCKER_HOST on the agent)
        gpus: '',                             // GPUs for runner docker: none, auto, required, all, a count ('': what detect's profile asks for)
        tool: env.AUTOTUNE ?: 'autotune',     // the tool's command, as autotuneSetup installed it
    ]
    Map o = defaults + config
    if (!o.model) { error "autotuneTune: 'model' is required (the folder of the model project)" }
    if (!o.target) { error "autotuneTune: 'target' is required (a goal such as 'accuracy>=0.99')" }
    List constraints = (o.constraints instanceof List ? o.constraints : [o.constraints]).findAll { it }.collect { it.toString() }
    if (constraints.any { it.contains('\n') }) { error "autotuneTune: each constraint is one line, such as 'params<=200000'" }
    if (!(o.runner in ['', 'process', 'docker'])) { error "autotuneTune: runner '${o.runner}' is not one of process, docker ('': autotune.json's, else process)" }
    // Metric names hold no comma, so the list travels as one --minimize "a,b" that the tool splits (and checks).
    String minimize = (o.minimize instanceof List ? o.minimize : [o.minimize]).findAll { it }.collect { it.toString() }.join(',')
    int status
    // The constraints reach the shell one a line in AT_CONSTRAINTS and become one --constraint each there: never Groovy text in a command.
    withEnv(["AUTOTUNE=${o.tool}", "AT_MODEL=${o.model}", "AT_TARGET=${o.target}", "AT_CONSTRAINTS=${constraints.join('\n')}", "AT_MINIMIZE=${minimize}", "AT_MAX_TRIALS=${o.maxTrials}",
             "AT_MAX_EPOCHS=${o.maxEpochs}", "AT_TIMEOUT=${o.timeout}", "AT_STRATEGY=${o.strategy}", "AT_SEED=${o.seed}",
             "AT_DEVICE=${o.device}", "AT_STUDY=${o.study}", "AT_NO_APPLY=${o.apply ? '' : 'true'}", "AT_NO_ASHA=${o.asha ? '' : 'true'}",
             "AT_RUNNER=${o.runner}", "AT_DOCKER_HOST=${o.dockerHost}", "AT_GPUS=${o.gpus}"]) {
        status = sh(returnStatus: true, script: '''set --; while IFS= read -r c; do if [ -n "$c" ]; then set -- "$@" --constraint "$c"; fi; done <<AT_END
$AT_CONSTRAINTS
AT_END
''' + '"$AUTOTUNE" run "$AT_MODEL" --target "$AT_TARGET" "$@" ${AT_MINIMIZE:+--minimize "$AT_MINIMIZE"} --max-trials "$AT_MAX_TRIALS" ${AT_MAX_EPOCHS:+--max-epochs "$AT_MAX_EPOCHS"} ${AT_TIMEOUT:+--timeout "$AT_TIMEOUT"} --strategy "$AT_STRATEGY" --seed "$AT_SEED" --device "$AT_DEVICE" ${AT_STUDY:+--study "$AT_STUDY"} ${AT_NO_APPLY:+--no-apply} ${AT_NO_ASHA:+--no-asha} ${AT_RUNNER:+--runner "$AT_RUNNER"} ${AT_DOCKER_HOST:+--docker-host "$AT_DOCKER_HOST"} ${AT_GPUS:+--gpus "$AT_GPUS"}')
        // `run` writes a model's own block itself; code without one was tuned through literals lifted
        // in the trial workspaces, which only `apply --best` writes (for a block it finds nothing to change).
        if (o.apply && (status == 0 || status == 3)) {
            int applied = sh(returnStatus: true, script: '"$AUTOTUNE" apply "$AT_MODEL" --best ${AT_STUDY:+--study "$AT_STUDY"}')
            if (applied != 0) { status = applied }
        }
    }
    return autotuneExitCode(step: 'autotuneTune', status: status)
}
