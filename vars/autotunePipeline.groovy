// A whole declarative pipeline that tunes one model: checkout, detect, image, trials, apply, report, notify.
def call(Map config = [:]) {
    Map settings = readJSON(text: libraryResource('autotune/settings.json'))
    Map defaults = [
        model: null,                          // the folder of the model project (required)
        target: null,                         // the goal, such as 'accuracy>=0.99' (required)
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
        buildImage: false,                    // build the model's runtime image (needs Docker on the agent)
        notifyTo: '',                         // recipients of the report, comma-separated ('': no mail)
        notifyOn: 'always',                   // when to mail: success, failure or always
        smtpCredentialsId: '',                // username/password credential for the SMTP login ('': no login)
        environment: [:],                     // extra environment for the model program, such as [MNIST_TRAIN_LIMIT: '1000']
        agentLabel: '',                       // label of the agent to run on ('': any agent)
        pollSCM: settings.pollSCM,            // polling schedule, the fallback when no push hook arrives
        toolVersion: settings.toolVersion,    // the autotune version autotuneSetup installs
        toolSource: '',                       // a local NuGet feed folder to install the tool from
        toolPath: settings.toolPath,          // where autotuneSetup installs the tool
    ]
    Map o = defaults + config
    if (!o.model) { error "autotunePipeline: 'model' is required (the folder of the model project)" }
    if (!o.target) { error "autotunePipeline: 'target' is required (a goal such as 'accuracy>=0.99')" }
    if (o.pullRequest && !o.applyBranch) { error "autotunePipeline: 'pullRequest' needs 'applyBranch' (the branch to open it from)" }
    if (o.pullRequest && !o.githubCredentialsId) { error "autotunePipeline: 'pullRequest' needs 'githubCredentialsId' (a secret-text credential holding a GitHub token)" }
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
                    }
                }
            }
            stage('Build image') {
                when { expression { o.buildImage } }
                steps {
                    autotuneImage(model: o.model)
                }
            }
            stage('Tune') {
                steps {
                    withEnv(modelEnv) {
                        autotuneTune(model: o.model, target: o.target, maxTrials: o.maxTrials, maxEpochs: o.maxEpochs,
                                     timeout: o.timeout, strategy: o.strategy, seed: o.seed, study: o.study,
                                     apply: o.apply, asha: o.asha)
                    }
                }
            }
            stage('Trials') {
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
            stage('Report') {
                steps {
                    autotuneReport(model: o.model, study: o.study)
                }
            }
            stage('Notify') {
                when { expression { o.notifyTo } }
                steps {
                    autotuneNotify(model: o.model, study: o.study, to: o.notifyTo, on: o.notifyOn,
                                   credentialsId: o.smtpCredentialsId)
                }
            }
        }
        post {
            always {
                archiveArtifacts(artifacts: "${o.model}/.autotune/study.db, ${o.model}/.autotune/*.json", allowEmptyArchive: true)
            }
        }
    }
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
