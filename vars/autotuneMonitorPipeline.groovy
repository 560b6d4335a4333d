// A declarative pipeline for a job on a schedule (the monitor, every minute): it watches one study that another job runs,
// restarts its dead trial containers from their checkpoints, and resumes the study when its controller is gone.
def call(Map config = [:]) {
    Map settings = readJSON(text: libraryResource('autotune/settings.json'))
    Map defaults = [
        model: null,                          // the study's model folder: the tune job's, an absolute path on this agent (required)
        target: null,                         // the tune job's target, for resuming the study (required)
        constraints: [],                      // the tune job's constraints, for resuming
        maxTrials: 20,                        // the tune job's budget, for resuming
        maxEpochs: '',
        timeout: '',
        strategy: 'tpe',
        seed: 0,
        study: '',                            // the study's name ('': the project's name, as autotunePipeline)
        apply: false,                         // write the best values into the tune job's checkout when a resumed study ends (its next build applies them)
        asha: true,
        runner: '',                           // process or docker ('': autotune.json's, else docker when the agent has an engine, else process)
        dockerHost: '',                       // Docker engine endpoint ('': DOCKER_HOST on the agent, else its socket)
        gpus: '',                             // GPUs for a resumed study's containers ('': what detect's profile asks for)
        retries: 3,                           // restarts from the last checkpoint per dead trial container
        schedule: '* * * * *',                // the cron trigger
        environment: [:],                     // extra environment for the model program, as the tune job gives it
        agentLabel: '',                       // the agent that holds the tune job's workspace (and its Docker engine)
        toolVersion: settings.toolVersion,    // the autotune version autotuneSetup installs
        toolSource: '',                       // a NuGet feed (folder or URL) that has the tool package, besides the agent's sources
        toolPath: settings.toolPath,          // where autotuneSetup installs the tool
    ]
    Map o = defaults + config
    if (!o.model) { error "autotuneMonitorPipeline: 'model' is required (the tune job's model folder, such as /var/lib/jenkins/workspace/mnist-tune/samples/mnist-cnn)" }
    if (!o.target) { error "autotuneMonitorPipeline: 'target' is required (the tune job's target, for resuming the study)" }
    if (!(o.runner in ['', 'process', 'docker'])) { error "autotuneMonitorPipeline: runner '${o.runner}' is not one of process, docker ('': docker when the agent has an engine)" }

    pipeline {
        agent { label o.agentLabel }
        triggers {
            cron(o.schedule)
        }
        options {
            // A resumed study runs for a while: the builds the schedule starts meanwhile wait (as one) instead of piling up.
            disableConcurrentBuilds()
        }
        stages {
            stage('Setup') {
                steps {
                    autotuneSetup(version: o.toolVersion, source: o.toolSource, toolPath: o.toolPath)
                }
            }
            stage('Monitor') {
                steps {
                    script { watchStudy(o) }
                }
            }
        }
    }
}

/**
 * One look at the study, in this order: a folder it cannot read fails (one line); no study yet, or a live controller,
 * is nothing to do (one line, SUCCESS); else dead trial containers restart from their checkpoints (autotune monitor,
 * where the agent has an engine), and a study whose controller is gone resumes (autotune run, as the tune job ran it).
 */
void watchStudy(Map o) {
    String state = '.autotune-monitor-trials.json'
    int read
    withEnv(["AT_MODEL=${o.model}", "AT_STUDY=${o.study}", "AT_STATE=${state}"]) {
        // The look happens before monitor takes the lock, which would clear the trace a killed run leaves (leftBy).
        read = sh(returnStatus: true, script: '''
            [ -d "$AT_MODEL" ] && [ -r "$AT_MODEL" ] && [ -x "$AT_MODEL" ] || exit 66
            [ -e "$AT_MODEL/.autotune/study.db" ] || exit 67
            "$AUTOTUNE" trials "$AT_MODEL" ${AT_STUDY:+--study "$AT_STUDY"} --json > "$AT_STATE"
        ''')
    }
    if (read == 66) { error "autotuneMonitorPipeline: cannot read the study folder ${o.model}: give model: the tune job's model folder, a path on this agent that this job's user can read" }
    if (read == 67) {
        echo "autotuneMonitorPipeline: nothing to watch yet: no study in ${o.model}/.autotune (the tune job has not run there)"
        return
    }
    if (read != 0) { error "autotuneMonitorPipeline: cannot read the study in ${o.model} (autotune trials exited ${read}; its line above says why)" }
    Map study = readJSON(file: state)
    if (study.controller) {
        Map c = study.controller
        echo "autotuneMonitorPipeline: study ${study.study} is held by `autotune ${c.command ?: '?'}` (pid ${c.pid ?: '?'} on ${c.host ?: '?'}, since ${c.since ?: '?'}): nothing to do while it runs"
        return
    }
    List running = (study.trials ?: []).findAll { it.state == 'running' }.collect { it.number }
    String gone = study.leftBy?.command == 'run'
        ? "`autotune run` (pid ${study.leftBy.pid} on ${study.leftBy.host}, since ${study.leftBy.since}) ended without releasing it"
        : running ? "trial(s) ${running.join(', ')} still running with no controller (its build was stopped)" : ''
    String runner = autotuneRunner(model: o.model, runner: o.runner, dockerHost: o.dockerHost, step: 'autotuneMonitorPipeline')
    if (runner == 'docker') {
        // Dead containers of this study restart from their last checkpoints (a study event each); live ones are followed to their end.
        autotuneMonitor(study: study.study, dockerHost: o.dockerHost, retries: o.retries)
    }
    if (!gone) {
        echo "autotuneMonitorPipeline: nothing to do: study ${study.study} has no live controller and nothing left unfinished"
        return
    }
    echo "autotuneMonitorPipeline: the controller of study ${study.study} is gone (${gone}): resuming it with autotune run"
    withEnv(o.environment.collect { k, v -> "${k}=${v}".toString() }) {
        autotuneTune(model: o.model, target: o.target, constraints: o.constraints, maxTrials: o.maxTrials, maxEpochs: o.maxEpochs,
                     timeout: o.timeout, strategy: o.strategy, seed: o.seed, study: study.study, apply: o.apply, asha: o.asha,
                     runner: runner, dockerHost: o.dockerHost, gpus: runner == 'docker' ? o.gpus : '')
    }
}
