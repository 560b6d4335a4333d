// Writes the study's report with `autotune report`, archives it and publishes report.html.
def call(Map config = [:]) {
    Map settings = readJSON(text: libraryResource('autotune/settings.json'))
    Map defaults = [
        model: null,                          // the folder of the model project (required)
        study: '',                            // study name ('': the project's name)
        out: '',                              // folder to write to, relative to the workspace ('': <model>/.autotune/report)
        archive: true,                        // archive the report's files as build artifacts
        publish: true,                        // publish report.html with the HTML Publisher plugin
        reportName: settings.reportName,      // the link's name on the build page
        tool: env.AUTOTUNE ?: 'autotune',     // the tool's command, as autotuneSetup installed it
    ]
    Map o = defaults + config
    if (!o.model) { error "autotuneReport: 'model' is required (the folder of the model project)" }
    String out = o.out ?: "${o.model}/.autotune/report"
    int status
    withEnv(["AUTOTUNE=${o.tool}", "AT_MODEL=${o.model}", "AT_STUDY=${o.study}", "AT_OUT=${out}"]) {
        status = sh(returnStatus: true, script: '"$AUTOTUNE" report "$AT_MODEL" ${AT_STUDY:+--study "$AT_STUDY"} --out "$AT_OUT"')
    }
    autotuneExitCode(step: 'autotuneReport', status: status)
    if (o.archive) { archiveArtifacts(artifacts: "${out}/**", fingerprint: false) }
    if (o.publish) {
        publishHTML(target: [reportDir: out, reportFiles: 'report.html', reportName: o.reportName,
                             keepAll: true, alwaysLinkToLastBuild: true, allowMissing: false])
    }
    return out
}
