// Mails the study's report with `autotune notify`; the SMTP login comes only from Jenkins credentials.
def call(Map config = [:]) {
    Map defaults = [
        model: null,                          // the folder of the model project (required)
        to: null,                             // recipients, comma-separated (required)
        on: 'always',                         // when to send: success, failure or always
        study: '',                            // study name ('': the project's name)
        credentialsId: '',                    // a username/password credential for the SMTP login ('': no login)
        smtpHost: '',                         // SMTP server ('': AUTOTUNE_SMTP_HOST on the agent)
        smtpPort: '',                         // SMTP port ('': by the TLS mode)
        smtpTls: '',                          // none, starttls or tls ('': starttls)
        from: '',                             // sender address ('': autotune@localhost)
        tool: env.AUTOTUNE ?: 'autotune',     // the tool's command, as autotuneSetup installed it
    ]
    Map o = defaults + config
    if (!o.model) { error "autotuneNotify: 'model' is required (the folder of the model project)" }
    if (!o.to) { error "autotuneNotify: 'to' is required (recipients, comma-separated)" }
    List envs = ["AUTOTUNE=${o.tool}", "AT_MODEL=${o.model}", "AT_TO=${o.to}", "AT_ON=${o.on}", "AT_STUDY=${o.study}",
                 "AT_SMTP_HOST=${o.smtpHost}", "AT_SMTP_PORT=${o.smtpPort}", "AT_SMTP_TLS=${o.smtpTls}", "AT_FROM=${o.from}"]
    String script = '"$AUTOTUNE" notify "$AT_MODEL" --to "$AT_TO" --on "$AT_ON" ${AT_STUDY:+--study "$AT_STUDY"} ${AT_SMTP_HOST:+--smtp-host "$AT_SMTP_HOST"} ${AT_SMTP_PORT:+--smtp-port "$AT_SMTP_PORT"} ${AT_SMTP_TLS:+--smtp-tls "$AT_SMTP_TLS"} ${AT_FROM:+--from "$AT_FROM"}'
    int status
    withEnv(envs) {
        if (o.credentialsId) {
            // The tool reads the password only from AUTOTUNE_SMTP_PASSWORD; it never reaches a command line.
            withCredentials([usernamePassword(credentialsId: o.credentialsId, usernameVariable: 'AUTOTUNE_SMTP_USER',
                                              passwordVariable: 'AUTOTUNE_SMTP_PASSWORD')]) {
                status = sh(returnStatus: true, script: script)
            }
        } else {
            status = sh(returnStatus: true, script: script)
        }
    }
    return autotuneExitCode(step: 'autotuneNotify', status: status)
}
