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
    environment: [MNIST_TRAIN_LIMIT: '1000'],
    toolSource: env.E2E_FEED,
    toolPath: env.E2E_TOOL_PATH
)
'''

    @Test
    void The_real_tool_tunes_the_sample_and_the_pipeline_records_trials_result_and_report() {
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
            h.env.E2E_FEED = feed
            h.env.E2E_TOOL_PATH = toolPath.absolutePath
            h.runJenkinsfile(JENKINSFILE)
            String log = h.log.join('\n')
            String tail = log.length() > 4000 ? log.substring(log.length() - 4000) : log

            assertEquals("${toolPath.absolutePath}/autotune".toString(), h.env.AUTOTUNE)
            List trials = new groovy.json.JsonSlurper().parse(new File(copy, '.autotune/trials.json')).trials
            assertEquals(tail, 1, trials.size())
            String trialStage = h.stages.find { it.startsWith('Trial 1: ') }
            assertNotNull("no trial stage in ${h.stages}\n${tail}", trialStage)
            assertTrue(trialStage, trialStage.contains('LearningRate='))
            String expected = trials[0].value != null && (trials[0].value as double) >= 0.5 ? 'SUCCESS' : 'UNSTABLE'
            assertEquals(tail, expected, h.result)
            assertTrue("${h.archived}", h.archived.contains("${model}/.autotune/report/report.html".toString()))
            assertTrue("${h.archived}", h.archived.contains("${model}/.autotune/study.db".toString()))
            assertEquals('report.html', h.published[0].target.reportFiles)
            Process git = ['git', '-C', ROOT.path, 'status', '--porcelain', '--', 'samples/mnist-cnn'].execute()
            assertEquals('the sample\'s source must be left as it was', '', git.text.trim())
        } finally {
            copy.deleteDir()
            toolPath.deleteDir()
        }
    }
}
