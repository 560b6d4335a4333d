import org.junit.Test

import static org.junit.Assert.*

/**
 * A consuming repository's Jenkinsfile runs autotunePipeline on samples/mnist-cnn with `sh` really
 * executing the packed tool, which autotuneSetup installs from a local feed (AUTOTUNE_E2E_FEED, made
 * by run.sh with `dotnet pack`). One short trial on 1000 images; the source is left as it is (apply: false).
 * The sample is copied to samples/.e2e-<id>/ (its project references point into ../../tool) so that
 * no earlier study's trial folders or checkpoints in samples/mnist-cnn/.autotune can leak in.
 */
class EndToEndTest {
    static final File ROOT = new File(System.getProperty('autotune.root', '.')).canonicalFile

    static final String JENKINSFILE = '''
@Library('autotune') _

autotunePipeline(
    model: env.E2E_MODEL,
    target: env.E2E_TARGET,
    maxTrials: 1,
    maxEpochs: 1,
    apply: false,
    study: env.E2E_STUDY,
    parallel: (env.E2E_PARALLEL ?: '0') as int,
    environment: [MNIST_TRAIN_LIMIT: '1000'],
    toolSource: env.E2E_FEED,
    toolPath: env.E2E_TOOL_PATH,
    notifyTo: env.E2E_NOTIFY_TO ?: '',
    notifyOn: env.E2E_NOTIFY_ON ?: 'always'
)
'''

    @Test
    void The_real_tool_tunes_the_sample_and_the_pipeline_records_trials_result_and_report() {
        runSample(0) { PipelineHarness h, String model, String study, String tail ->
            List trials = new groovy.json.JsonSlurper().parse(new File(ROOT, "${model}/.autotune/trials.json")).trials
            assertEquals(tail, 1, trials.size())
            String trialStage = h.stages.find { it.startsWith('Trial 1: ') }
            assertNotNull("no trial stage in ${h.stages}\n${tail}", trialStage)
            assertTrue(trialStage, trialStage.contains('LearningRate='))
            String expected = trials[0].value != null && (trials[0].value as double) >= 0.5 ? 'SUCCESS' : 'UNSTABLE'
            assertEquals(tail, expected, h.result)
            assertTrue("${h.archived}", h.archived.contains("${model}/.autotune/report/report.html".toString()))
            assertTrue("${h.archived}", h.archived.contains("${model}/.autotune/study.db".toString()))
            assertEquals('report.html', h.published[0].target.reportFiles)
        }
    }

    /**
     * parallel: 1 trains the asked trial in .autotune-trials/1 of the agent's workspace, where an earlier build of
     * another study left its trial 1: the real `train` refuses such a folder, and `tell` would record it as no trial of
     * this study. The step removes it first, and passes the study, so the new folder names the study it was asked in.
     */
    @Test
    void On_agents_the_real_tool_trains_over_a_trial_folder_an_earlier_build_left_and_the_folder_names_the_study() {
        File trials = new File(ROOT, '.autotune-trials')
        File stale = new File(trials, '1')
        try {
            stale.mkdirs()
            new File(stale, 'trial.json').text = '{"schema":"autotune.trial/1","project":"MnistCnn","study":"an-earlier-build","trial":1,"values":"ConvLayers=1"}'
            new File(stale, 'metrics.jsonl').text = '{"epoch":1,"accuracy":0.1}\n{"epoch":2,"accuracy":0.2}\n'
            runSample(1) { PipelineHarness h, String model, String study, String tail ->
                assertTrue(tail, h.result in ['SUCCESS', 'UNSTABLE'])
                assertNotNull("no trial stage in ${h.stages}\n${tail}", h.stages.find { it.startsWith('Trial 1: ') })
                Map identity = new groovy.json.JsonSlurper().parse(new File(stale, 'trial.json')) as Map
                assertEquals(tail, [study, 1], [identity.study, identity.trial])
                assertEquals('this build trained one epoch (maxEpochs: 1)', 1, new File(stale, 'metrics.jsonl').readLines().size())
                assertTrue(tail, h.log.any { it =~ /trial 1: (completed|failed)/ })
            }
        } finally {
            trials.deleteDir()
            new File(ROOT, '.autotune-ask.json').delete()
        }
    }

    /**
     * A Tune that fails (the sample finds no MNIST data, so its only trial fails and `run` exits 4) still reports and,
     * with notifyOn: 'failure', mails through a real SMTP server: the suites' smtp_server.py (aiosmtpd) on 127.0.0.1,
     * reached through the AUTOTUNE_SMTP_* variables of the agent, as autotuneNotify leaves them by default.
     */
    @Test
    void A_failing_tune_still_sends_the_failure_mail_through_a_real_smtp_server() {
        File mail = File.createTempDir('autotune-mail', '')
        Process server = null
        try {
            int port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
            server = new ProcessBuilder('/usr/bin/python3', new File(ROOT, 'tests/Autotune.Tests/Notify/smtp_server.py').path,
                                        '--port', port.toString(), '--out', mail.path, '--tls', 'none')
                .redirectErrorStream(true).start()
            String ready = new BufferedReader(new InputStreamReader(server.inputStream)).readLine()
            assertEquals('the SMTP test server did not start (it needs Debian\'s python3-aiosmtpd)', 'READY', ready)
            Map env = [E2E_NOTIFY_TO: 'ml-team@example.com', E2E_NOTIFY_ON: 'failure', MNIST_DIR: new File(mail, 'no-mnist-here').path,
                       AUTOTUNE_SMTP_HOST: '127.0.0.1', AUTOTUNE_SMTP_PORT: port.toString(), AUTOTUNE_SMTP_TLS: 'none']
            runSample(0, env) { PipelineHarness h, String model, String study, String tail ->
                assertEquals(tail, 'FAILURE', h.result)
                assertTrue("${h.archived}", h.archived.contains("${model}/.autotune/study.db".toString()))
                assertTrue("${h.archived}", h.archived.contains("${model}/.autotune/report/report.html".toString()))
                List<File> sent = (mail.listFiles().findAll { it.name.endsWith('.eml') } as List<File>).sort()
                assertEquals("one mail expected\n${tail}", 1, sent.size())
                Map envelope = new groovy.json.JsonSlurper().parse(new File(sent[0].path - '.eml' + '.json')) as Map
                assertEquals(['ml-team@example.com'], envelope.to)
                String subject = sent[0].readLines().find { it.startsWith('Subject:') }
                assertTrue("${subject}", subject.contains("${study} did not reach"))
            }
        } finally {
            server?.destroy()
            server?.waitFor()
            mail.deleteDir()
        }
    }

    /** Runs the Jenkinsfile on a copy of the sample with the packed tool; check gets the harness, model, study and log tail. */
    private static void runSample(int parallel, Closure check) { runSample(parallel, [:], check) }

    /** As above, with extra environment on the agent (env), which reaches the tool and the model program. */
    private static void runSample(int parallel, Map extraEnv, Closure check) {
        String feed = System.getenv('AUTOTUNE_E2E_FEED')
        assertNotNull('AUTOTUNE_E2E_FEED must name a folder holding the packed Autotune.Tool (run.sh makes it)', feed)
        File toolPath = File.createTempDir('autotune-tool', '')
        String id = System.currentTimeMillis().toString()
        String model = "samples/.e2e-${id}"
        File copy = new File(ROOT, model)
        try {
            copy.mkdirs()
            new File(ROOT, 'samples/mnist-cnn').eachFile { File f ->
                if (f.isFile()) new File(copy, f.name).bytes = f.bytes
            }
            // The checkout is the repository itself: the sample's project references point into tool/.
            PipelineHarness h = new PipelineHarness(ROOT, ROOT)
            String study = "e2e-${id}"
            h.env.E2E_MODEL = model
            h.env.E2E_TARGET = 'accuracy>=0.5'
            h.env.E2E_STUDY = study
            h.env.E2E_PARALLEL = parallel.toString()
            h.env.E2E_FEED = feed
            h.env.E2E_TOOL_PATH = toolPath.absolutePath
            extraEnv.each { k, v -> h.env[k as String] = v as String }
            h.runJenkinsfile(JENKINSFILE)
            String log = h.log.join('\n')
            String tail = log.length() > 4000 ? log.substring(log.length() - 4000) : log

            assertEquals("${toolPath.absolutePath}/autotune".toString(), h.env.AUTOTUNE)
            check(h, model, study, tail)
            Process git = ['git', '-C', ROOT.path, 'status', '--porcelain', '--', 'samples/mnist-cnn'].execute()
            assertEquals('the sample\'s source must be left as it was', '', git.text.trim())
        } finally {
            copy.deleteDir()
            toolPath.deleteDir()
        }
    }
}
