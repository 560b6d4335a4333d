import groovy.json.JsonSlurper
import org.junit.Test

import static org.junit.Assert.*

/**
 * The monitor job's Jenkinsfile (autotuneMonitorPipeline) on the real packed tool: a run of a copy of samples/mnist-cnn
 * is SIGKILLed while its first trial runs, as a dead agent process would be, and one monitor build then sees the killed
 * controller in `trials --json` and resumes the study to its end. The process runner here: the same three tool calls
 * against a real Docker engine, with a training container killed mid-epoch, are tests/Autotune.Tests/Docker/MonitorResumeTests.
 */
class MonitorEndToEndTest {
    static final File ROOT = new File(System.getProperty('autotune.root', '.')).canonicalFile

    static final String JENKINSFILE = '''
@Library('autotune') _

autotuneMonitorPipeline(
    model: env.E2E_MODEL,
    target: 'accuracy>=0.99',
    maxTrials: 2,
    maxEpochs: 1,
    study: env.E2E_STUDY,
    runner: 'process',
    environment: [MNIST_TRAIN_LIMIT: '1000'],
    toolSource: env.E2E_FEED,
    toolPath: env.E2E_TOOL_PATH
)
'''

    @Test
    void One_monitor_build_resumes_a_study_whose_controller_was_killed_and_it_ends_with_no_trial_lost() {
        String feed = System.getenv('AUTOTUNE_E2E_FEED')
        assertNotNull('AUTOTUNE_E2E_FEED must name a folder holding the packed Autotune.Tool (run.sh makes it)', feed)
        File toolPath = File.createTempDir('autotune-tool', '')
        String id = System.currentTimeMillis().toString()
        File model = new File(ROOT, "samples/.e2e-monitor-${id}")
        String study = "e2e-monitor-${id}"
        Process controller = null
        try {
            model.mkdirs()
            new File(ROOT, 'samples/mnist-cnn').eachFile { File f -> if (f.isFile()) new File(model, f.name).bytes = f.bytes }
            // The tune job's build, as autotuneSetup installs the tool for it.
            PipelineHarness setup = new PipelineHarness(ROOT, ROOT)
            String tool = setup.step('autotuneSetup', [source: feed, toolPath: toolPath.absolutePath])
            ProcessBuilder pb = new ProcessBuilder(tool, 'run', model.path, '--target', 'accuracy>=0.99', '--max-trials', '2', '--max-epochs', '1',
                                                   '--study', study, '--no-apply', '--no-worker').directory(ROOT).redirectErrorStream(true)
            pb.environment().putAll([MNIST_TRAIN_LIMIT: '1000', CI: 'true'])
            controller = pb.start()
            BufferedReader out = new BufferedReader(new InputStreamReader(controller.inputStream))
            List<String> seen = []
            String line
            while ((line = out.readLine()) != null) {
                seen << line
                if (line.startsWith('[run] trial 1')) break
            }
            assertNotNull("the run never started trial 1:\n${seen.join('\n')}", line)
            Thread.sleep(1500)
            long pid = controller.pid()
            controller.destroyForcibly() // SIGKILL, the controller alone: the kernel drops its lock, its holder file stays
            controller.waitFor()

            PipelineHarness h = new PipelineHarness(ROOT, ROOT)
            h.env.E2E_MODEL = model.absolutePath
            h.env.E2E_STUDY = study
            h.env.E2E_FEED = feed
            h.env.E2E_TOOL_PATH = toolPath.absolutePath
            h.runJenkinsfile(JENKINSFILE)
            String log = h.log.join('\n')
            String tail = log.length() > 4000 ? log.substring(log.length() - 4000) : log

            assertTrue(tail, h.log.any { it.startsWith("autotuneMonitorPipeline: the controller of study ${study} is gone (`autotune run` (pid ${pid} on ") })
            assertTrue(tail, h.result in ['SUCCESS', 'UNSTABLE'])
            Process trials = new ProcessBuilder(tool, 'trials', model.path, '--study', study, '--json').directory(ROOT).start()
            Map after = new JsonSlurper().parse(trials.inputStream) as Map
            assertEquals(tail, [1, 2], after.trials*.number)
            assertTrue("${after.trials*.state}\n${tail}", after.trials.every { it.state in ['completed', 'pruned'] })
            assertNull('the resumed run released the study', after.controller)
            assertNull('nothing left by a killed controller any more', after.leftBy)
        } finally {
            if (controller?.alive) controller.destroyForcibly()
            model.deleteDir()
            toolPath.deleteDir()
            new File(ROOT, '.autotune-monitor-trials.json').delete() // the monitor's look, written in its workspace (here the checkout)
        }
    }
}
