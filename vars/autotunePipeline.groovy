// A whole declarative pipeline that tunes one model: checkout, detect, image, trials (in containers when the agent has Docker), apply;
// then, whatever the outcome, report and notify.
def call(Map config = [:]) {
    Map settings = readJSON(text: libraryResource('autotune/settings.json'))
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
        study: '',                            // study name ('': the project's name, so each build resumes the search)
        apply: true,                          // write the best values into the source
        applyBranch: '',                      // commit the applied values to this branch and push it ('': leave them in the workspace)
        pullRequest: false,                   // open a pull request from applyBranch (needs githubCredentialsId)
        pullRequestBase: '',                  // the branch it merges into ('': the branch being built, else main)
        githubCredentialsId: '',              // secret-text credential: a GitHub token allowed to open pull requests
        githubApi: 'https://api.github.com',  // GitHub's REST API (GitHub Enterprise: https://HOST/api/v3)
        repository: '',                       // owner/name on GitHub ('': read from the origin remote)
        asha: true,                           // stop weak trials early by successive halving
        trialKeys: [],                        // the hyperparameters that name a trial's stage ([]: all of them)
        runner: '',                           // process or docker ('': autotune.json's runner, else docker when the agent has an engine, else process)
        dockerHost: '',                       // Docker engine endpoint ('': DOCKER_HOST on the agent, else its socket)
        gpus: '',                             // GPUs for trial containers ('': what detect's profile asks for, GPUs only where the engine has them)
        buildImage: false,                    // build the model's runtime image even when trials train as processes (needs Docker)
        notifyTo: '',                         // recipients of the report, comma-separated ('': no mail)
        notifyOn: 'always',                   // when to mail: success, failure or always
        smtpCredentialsId: '',                // username/password credential for the SMTP login ('': no login)
        environment: [:],                     // extra environment for the model program, such as [MNIST_TRAIN_LIMIT: '1000']
        agentLabel: '',                       // label of the agent to run on ('': any agent)
        parallel: 0,                          // >0: ask the tool for this many trials at a time and train each on its own agent
        trialAgentLabel: '',                  // label of the agents trials train on with parallel, such as 'gpu' ('': any agent)
        pollSCM: settings.pollSCM,            // polling schedule, the fallback when no push hook arrives
        toolVersion: settings.toolVersion,    // the autotune version autotuneSetup installs
        toolSource: '',                       // a NuGet feed (folder or URL) that has the tool package, besides the agent's sources
        toolPath: settings.toolPath,          // where autotuneSetup installs the tool
    ]
    Map o = defaults + config
    if (!o.model) { error "autotunePipeline: 'model' is required (the folder of the model project)" }
    if (!o.target) { error "autotunePipeline: 'target' is required (a goal such as 'accuracy>=0.99')" }
    if (o.pullRequest && !o.applyBranch) { error "autotunePipeline: 'pullRequest' needs 'applyBranch' (the branch to open it from)" }
    if (o.pullRequest && !o.githubCredentialsId) { error "autotunePipeline: 'pullRequest' needs 'githubCredentialsId' (a secret-text credential holding a GitHub token)" }
    if (!(o.runner in ['', 'process', 'docker'])) { error "autotunePipeline: runner '${o.runner}' is not one of process, docker ('': docker when the agent has an engine)" }
    if (o.runner == 'docker' && o.parallel > 0) { error "autotunePipeline: runner 'docker' does not work with parallel yet: trials on other agents train as processes (leave runner '' or 'process')" }
    // Set in Detect: the runner the trials train with, once the model's autotune.json and the agent's engine are known.
    o.trialRunner = 'process'
    List modelEnv = o.environment.collect { k, v -> "${k}=${v}".toString() }

    pipeline {
        agent { label o.agentLabel }
        triggers {
            githubPush()
            pollSCM(o.pollSCM)
        }
        stages {
            stage('Checkout') {
                steps {
                    checkout scm
                    autotuneSetup(version: o.toolVersion, source: o.toolSource, toolPath: o.toolPath)
                }
            }
            stage('Detect') {
                steps {
                    script {
                        Map profile = autotuneDetect(model: o.model)
                        echo "autotune: ${profile.framework?.name ?: profile.framework} model at ${o.model}"
                        // With parallel, trials train on other agents as processes: no engine to look for here.
                        o.trialRunner = o.parallel > 0 ? 'process' : autotuneRunner(model: o.model, runner: o.runner, dockerHost: o.dockerHost, step: 'autotunePipeline')
                    }
                }
            }
            stage('Build image') {
                when { expression { o.buildImage || o.trialRunner == 'docker' } }
                steps {
                    script {
                        // Built or found by its content tag, so an unchanged model costs one lookup; run finds it the same way.
                        int built = autotuneImage(model: o.model, dockerHost: o.dockerHost, returnStatus: true)
                        if (built != 0) {
                            error "autotunePipeline: the runtime image of ${o.model} did not build (exit ${built}; the tool's line above says why): fix it, or pass runner: 'process' to train without a container"
                        }
                    }
                }
            }
            stage('Tune') {
                steps {
                    script {
                        if (o.parallel > 0) {
                            tuneOnAgents(o, modelEnv)
                        } else {
                            withEnv(modelEnv) {
                                autotuneTune(model: o.model, target: o.target, constraints: o.constraints, minimize: o.minimize, maxTrials: o.maxTrials, maxEpochs: o.maxEpochs,
                                             timeout: o.timeout, strategy: o.strategy, seed: o.seed, study: o.study,
                                             apply: o.apply, asha: o.asha, runner: o.trialRunner, dockerHost: o.dockerHost,
                                             gpus: o.trialRunner == 'docker' ? o.gpus : '')
                            }
                        }
                    }
                }
            }
            stage('Trials') {
                // With parallel, the trials were stages of their own already (the branches that trained them).
                when { expression { !(o.parallel > 0) } }
                steps {
                    script {
                        // One stage per trial, so Blue Ocean shows the search: the tool has run them, these record them.
                        List trials = autotuneTrials(model: o.model, study: o.study)
                        for (Map t in trials) {
                            Map values = t.values ?: [:]
                            List keys = o.trialKeys ?: values.keySet().toList()
                            String shown = keys.findAll { values.containsKey(it) }.collect { "${it}=${values[it]}" }.join(', ')
                            stage("Trial ${t.number}: ${shown}") {
                                echo "trial ${t.number}: ${t.state}, value ${t.value}, ${t.epochs} epoch(s)${t.error ? ', ' + t.error : ''}"
                                markTrialStage(t.number, t.state as String, t.epochs, t.error as String)
                            }
                        }
                    }
                }
            }
            stage('Apply best values') {
                when { expression { o.apply && o.applyBranch } }
                steps {
                    withEnv(["AT_MODEL=${o.model}", "AT_BRANCH=${o.applyBranch}", "AT_TARGET=${o.target}"]) {
                        sh '''
                            git checkout -B "$AT_BRANCH"
                            git add -- "$AT_MODEL"
                            git commit -m "autotune: best values for $AT_TARGET" -- "$AT_MODEL" || echo "autotune: no values changed"
                            git push --force-with-lease origin "$AT_BRANCH"
                        '''
                    }
                    script {
                        if (o.pullRequest) { openPullRequest(o) }
                    }
                }
            }
        }
        post {
            // Not stages: a failed stage skips the stages after it, and a failed Tune must still report and mail.
            always {
                archiveArtifacts(artifacts: "${o.model}/.autotune/study.db, ${o.model}/.autotune/*.json", allowEmptyArchive: true)
                script { reportAndNotify(o) }
            }
        }
    }
}

/**
 * The report and the mail, from post { always }, so they follow success, a missed target and a failure alike; the
 * tool's --on decides whether the study's outcome is worth a mail. Blue Ocean draws nothing for post, so each part
 * says in the log what it does. With no study to report (the tool never ran, or stopped before one existed) it says
 * so in one line and leaves the build's result as it was.
 */
void reportAndNotify(Map o) {
    String store = "${o.model}/.autotune/study.db"
    if (!env.AUTOTUNE) {
        echo "autotunePipeline: no report and no mail: the tool was never installed (the build is ${currentBuild.currentResult} before it)"
        return
    }
    if (!fileExists(store)) {
        echo "autotunePipeline: no report and no mail: the tool stopped before any study existed (no ${store}; the build is ${currentBuild.currentResult})"
        return
    }
    echo "autotunePipeline: report of the study (the build is ${currentBuild.currentResult})"
    // A report that cannot be written fails the build, but does not keep the mail from going out.
    catchError(buildResult: 'FAILURE', stageResult: 'FAILURE') {
        autotuneReport(model: o.model, study: o.study)
    }
    if (!o.notifyTo) {
        echo "autotunePipeline: no mail: notifyTo is empty"
        return
    }
    echo "autotunePipeline: mail to ${o.notifyTo} if the study's outcome fits notifyOn '${o.notifyOn}'"
    // A mail server that refuses leaves the study, the report and the archive as they are: the build is UNSTABLE (or
    // stays worse), with the tool's one line saying why, rather than a tuned model reported as a failed build.
    catchError(buildResult: 'UNSTABLE', stageResult: 'UNSTABLE', message: "autotunePipeline: the mail was not sent (the line above says why); the study and its report are archived") {
        autotuneNotify(model: o.model, study: o.study, to: o.notifyTo, on: o.notifyOn, credentialsId: o.smtpCredentialsId)
    }
}

/**
 * The search across agents: ask the tool for up to `parallel` trials, train each on an agent in a
 * `parallel` block (a branch per trial, named by its number and values), bring each trial folder back
 * and tell it, until the study is done. Only this node writes the study; agents only run `train`.
 */
void tuneOnAgents(Map o, List modelEnv) {
    stash(name: 'autotune-model', includes: "${o.model}/**", excludes: "${o.model}/.autotune/**")
    List constraints = (o.constraints instanceof List ? o.constraints : [o.constraints]).findAll { it }.collect { it.toString() }
    if (constraints.any { it.contains('\n') }) { error "autotunePipeline: each constraint is one line, such as 'params<=200000'" }
    String minimize = (o.minimize instanceof List ? o.minimize : [o.minimize]).findAll { it }.collect { it.toString() }.join(',')
    List common = ["AT_MODEL=${o.model}", "AT_TARGET=${o.target}", "AT_CONSTRAINTS=${constraints.join('\n')}", "AT_MINIMIZE=${minimize}", "AT_MAX_TRIALS=${o.maxTrials}", "AT_MAX_EPOCHS=${o.maxEpochs}",
                   "AT_STRATEGY=${o.strategy}", "AT_SEED=${o.seed}", "AT_STUDY=${o.study}", "AT_COUNT=${o.parallel}"]
    String status = 'proposed'
    int asks = 0
    while (status in ['proposed', 'waiting']) {
        asks++
        int code
        withEnv(common) {
            // The constraints, one a line in AT_CONSTRAINTS, become one --constraint each in the shell (as autotuneTune does).
            code = sh(returnStatus: true, script: '''set --; while IFS= read -r c; do if [ -n "$c" ]; then set -- "$@" --constraint "$c"; fi; done <<AT_END
$AT_CONSTRAINTS
AT_END
''' + '"$AUTOTUNE" ask "$AT_MODEL" --target "$AT_TARGET" "$@" ${AT_MINIMIZE:+--minimize "$AT_MINIMIZE"} --count "$AT_COUNT" --max-trials "$AT_MAX_TRIALS" ${AT_MAX_EPOCHS:+--max-epochs "$AT_MAX_EPOCHS"} --strategy "$AT_STRATEGY" --seed "$AT_SEED" ${AT_STUDY:+--study "$AT_STUDY"} --json > .autotune-ask.json')
        }
        if (!(code in [0, 3])) { autotuneExitCode(step: 'autotunePipeline', status: code) }
        Map asked = readJSON(file: '.autotune-ask.json')
        status = asked.status
        List trials = asked.trials ?: []
        if (trials.isEmpty()) {
            // 'waiting' with nothing of ours outstanding would ask forever: trials another controller queued are not ours to wait for.
            if (status == 'waiting') { error "autotunePipeline: the study waits for trials nobody here runs (outstanding ${asked.outstanding}): tell or run them, or use another study" }
            break
        }
        Map branches = [:]
        for (Map t in trials) {
            Map trial = t
            Map values = trial.parameters ?: [:]
            List keys = o.trialKeys ?: values.keySet().toList()
            String shown = keys.findAll { values.containsKey(it) }.collect { "${it}=${values[it]}" }.join(', ')
            String dir = trialDir(trial.number)
            branches["Trial ${trial.number}: ${shown}".toString()] = {
                node(o.trialAgentLabel) {
                    int trained
                    unstash 'autotune-model'
                    // This agent's own install: env.AUTOTUNE is build-wide, so a branch that set it would hand its path
                    // to the other branches and to the controller's ask, tell and apply; withEnv keeps it to this branch.
                    String tool = autotuneSetup(version: o.toolVersion, source: o.toolSource, toolPath: o.toolPath, setEnv: false)
                    withEnv(modelEnv + ["AUTOTUNE=${tool}", "AT_MODEL=${o.model}", "AT_VALUES=${trial.values}", "AT_N=${trial.number}", "AT_DIR=${dir}",
                                        "AT_SEED=${trial.seed}", "AT_EPOCHS=${trial.epochs ?: ''}", "AT_STUDY=${o.study}"]) {
                        // A folder there is an earlier build's (ask never hands out a number twice): train would refuse
                        // it as another trial's, or resume it as this one's when it names no study.
                        sh 'rm -rf -- "$AT_DIR"'
                        // The trial's own failure is the study's business: tell records it from result.json. The study
                        // recorded in the folder lets tell refuse it for any other.
                        trained = sh(returnStatus: true, script: '"$AUTOTUNE" train "$AT_MODEL" --values "$AT_VALUES" --trial-dir "$AT_DIR" --trial-number "$AT_N" --seed "$AT_SEED" ${AT_EPOCHS:+--epochs "$AT_EPOCHS"} ${AT_STUDY:+--study "$AT_STUDY"}')
                    }
                    stash(name: "autotune-trial-${trial.number}", includes: "${dir}/**", allowEmpty: true)
                    Map outcome = trainedOutcome(dir, trained)
                    echo "trial ${trial.number}: ${outcome.state}${outcome.error ? ', ' + outcome.error : ''}"
                    markTrialStage(trial.number, outcome.state as String, outcome.epochs, outcome.error as String)
                }
            }
        }
        parallel branches
        for (Map t in trials) {
            withEnv(common + ["AT_N=${t.number}", "AT_DIR=${trialDir(t.number)}"]) {
                // unstash adds to what is there: without this, files of an earlier build's trial would be told as this one's.
                sh 'rm -rf -- "$AT_DIR"'
                unstash "autotune-trial-${t.number}"
                int told = sh(returnStatus: true, script: '"$AUTOTUNE" tell "$AT_MODEL" --trial "$AT_N" --from "$AT_DIR" ${AT_STUDY:+--study "$AT_STUDY"}')
                if (told != 0) { autotuneExitCode(step: 'autotunePipeline', status: told) }
            }
        }
    }
    if (status == 'target-reached' && o.apply) {
        withEnv(common) {
            autotuneExitCode(step: 'autotunePipeline', status: sh(returnStatus: true, script: '"$AUTOTUNE" apply "$AT_MODEL" --best ${AT_STUDY:+--study "$AT_STUDY"}'))
        }
    } else if (status != 'target-reached') {
        unstable "autotunePipeline: target ${o.target} not reached (${status}) after ${asks} ask(s)"
    }
}

/**
 * Colours a trial's stage by its outcome and leaves the build's result to the study (a study that reached its target
 * with some failed trials is a success): pruned (stopped early as weaker than the others) is UNSTABLE, failed is
 * FAILURE, a trial that did not finish is UNSTABLE. The message is the stage's, where Blue Ocean shows it.
 */
void markTrialStage(Object number, String state, Object epochs, String failure) {
    String stageResult = state == 'completed' ? null : state == 'failed' ? 'FAILURE' : 'UNSTABLE'
    if (!stageResult) { return }
    String why = state == 'pruned' ? "pruned after ${epochs ?: '?'} epoch(s): stopped early, weaker than the study's other trials"
        : state == 'failed' ? "failed${failure ? ': ' + failure : ''}" : "${state}: it did not finish"
    catchError(buildResult: 'SUCCESS', stageResult: stageResult) {
        error "trial ${number} ${why}"
    }
}

/** A trial's outcome on its agent, from the result.json train wrote; none, or one that cannot be read, is a failure. */
Map trainedOutcome(String dir, int trained) {
    String file = "${dir}/result.json"
    if (!fileExists(file)) { return [state: 'failed', error: "train exited ${trained} and wrote no ${file}"] }
    try {
        Map result = readJSON(file: file)
        return [state: result.state ?: 'failed', epochs: result.epochs, error: result.error]
    } catch (Exception e) {
        return [state: 'failed', error: "${file} cannot be read: ${e.message}"]
    }
}

/** The workspace folder a trial trains in on its agent and is told from on this node; the number is the tool's, checked before rm -rf. */
String trialDir(Object number) {
    if (!(number.toString() ==~ /[0-9]+/)) { error "autotunePipeline: ask returned a trial number that is not a number: ${number}" }
    return ".autotune-trials/${number}"
}

/** Opens (or finds open) the pull request from applyBranch; values travel as a JSON file and environment, never as shell text. */
void openPullRequest(Map o) {
    String base = o.pullRequestBase ?: (env.CHANGE_TARGET ?: env.BRANCH_NAME ?: 'main')
    String body = "Autotune tuned `${o.model}` toward `${o.target}` and wrote the best values it found into the source." +
        (env.BUILD_URL ? "\n\nThe report of the trials: ${env.BUILD_URL}" : '')
    String request = '.autotune-pull-request.json'
    writeFile(file: request, text: groovy.json.JsonOutput.toJson(
        [title: "autotune: best values for ${o.target}".toString(), head: o.applyBranch, base: base, body: body,
         maintainer_can_modify: true]))
    writeFile(file: '.autotune-open-pull-request.sh', text: libraryResource('autotune/open-pull-request.sh'))
    withCredentials([string(credentialsId: o.githubCredentialsId, variable: 'AT_GITHUB_TOKEN')]) {
        withEnv(["AT_GITHUB_API=${o.githubApi}", "AT_REPOSITORY=${o.repository}", "AT_PR_FILE=${request}"]) {
            sh 'bash .autotune-open-pull-request.sh'
        }
    }
}
