import org.junit.Test

import static org.junit.Assert.*

/** autotunePipeline on the fake tool: the stages, triggers and results the declarative pipeline records. */
class PipelineTest extends HarnessTestBase {
    Map config = [model: 'm', target: 'accuracy>=0.9', toolPath: 'fake-bin', study: 's', trialKeys: ['LearningRate']]

    @Test
    void A_run_shows_one_stage_per_trial_named_by_its_number_and_values() {
        h.step('autotunePipeline', config)
        assertEquals(['Checkout', 'Detect', 'Build image', 'Tune', 'Trials', 'Trial 1: LearningRate=0.001',
                      'Trial 2: LearningRate=0.01', 'Apply best values', 'Report', 'Notify'], h.stages)
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void Trial_stages_show_every_value_when_no_keys_are_named() {
        h.step('autotunePipeline', config + [trialKeys: []])
        assertEquals('Trial 1: BatchSize=64, LearningRate=0.001', h.stages.find { it.startsWith('Trial 1') })
    }

    @Test
    void It_triggers_on_push_and_polls_as_the_fallback() {
        h.step('autotunePipeline', config)
        assertEquals(['githubPush', 'pollSCM(H/15 * * * *)'], h.triggers)
    }

    @Test
    void Target_not_reached_makes_the_build_unstable_and_still_reports() {
        h.env.FAKE_EXIT = '0'
        h.shHandler = null
        // Only `run` exits 3: a wrapper around the fake tool.
        File wrapper = new File(workspace, 'fake-bin/autotune')
        wrapper.text = FAKE_TOOL.replace('exit "${FAKE_EXIT:-0}"', '[ "$1" = run ] && exit 3; exit 0')
        h.step('autotunePipeline', config)
        assertEquals('UNSTABLE', h.result)
        assertTrue(h.archived.contains('m/.autotune/report/report.html'))
    }

    @Test
    void A_failing_model_fails_the_build_skips_the_rest_and_still_archives_the_study() {
        new File(workspace, 'm/.autotune').mkdirs()
        new File(workspace, 'm/.autotune/study.db').text = 'db'
        File wrapper = new File(workspace, 'fake-bin/autotune')
        wrapper.text = FAKE_TOOL.replace('exit "${FAKE_EXIT:-0}"', '[ "$1" = run ] && exit 4; exit 0')
        h.step('autotunePipeline', config)
        assertEquals('FAILURE', h.result)
        assertEquals('Tune', h.stages[-1])
        assertTrue(h.archived.contains('m/.autotune/study.db'))
    }

    @Test
    void Notify_mails_when_recipients_are_given() {
        h.credentials['smtp'] = [username: 'bot', password: 'secret']
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com', smtpCredentialsId: 'smtp'])
        assertEquals(['notify', 'm', '--to', 'dev@example.com', '--on', 'always', '--study', 's'], toolArgs())
    }

    @Test
    void The_model_environment_reaches_the_tune_run() {
        h.step('autotunePipeline', config + [environment: [MNIST_TRAIN_LIMIT: '1000']])
        Map tune = h.shCalls.find { it.script.contains('" run "') }
        assertEquals('1000', tune.env.MNIST_TRAIN_LIMIT)
    }

    @Test
    void The_sample_Jenkinsfile_runs_the_pipeline() {
        File installed = new File(workspace, '.autotune-tool/autotune')
        installed.parentFile.mkdirs()
        installed.text = FAKE_TOOL
        installed.setExecutable(true)
        h.credentials['autotune-smtp'] = [username: 'bot', password: 'secret']
        String text = new File(ROOT, 'samples/Jenkinsfile').text
        h.runJenkinsfile(text.replace("'samples/mnist-cnn'", "'m'"))
        assertEquals('SUCCESS', h.result)
        assertEquals(['notify', 'm', '--to', 'ml-team@example.com', '--on', 'always'], toolArgs())
    }

    @Test
    void Build_image_and_apply_run_only_when_asked() {
        // The agent's git is not part of the test: the apply script is recorded, not run.
        h.shHandler = { Map call -> call.script.contains('git checkout') ? 0 : h.runBash(call) }
        h.step('autotunePipeline', config + [buildImage: true, applyBranch: 'autotune/best'])
        assertTrue(h.shCalls.any { it.script.contains('" image build "') })
        Map apply = h.shCalls.find { it.script.contains('git checkout -B "$AT_BRANCH"') }
        assertEquals('autotune/best', apply.env.AT_BRANCH)
        assertEquals(['Checkout', 'Detect', 'Build image', 'Tune', 'Trials', 'Trial 1: LearningRate=0.001',
                      'Trial 2: LearningRate=0.01', 'Apply best values', 'Report', 'Notify'], h.stages)
    }

    @Test
    void Nothing_is_applied_when_apply_is_off() {
        h.step('autotunePipeline', config + [apply: false, applyBranch: 'autotune/best'])
        assertFalse(h.shCalls.any { it.script.contains('git checkout') })
        assertTrue(h.shCalls.find { it.script.contains('" run "') }.env.AT_NO_APPLY == 'true')
    }
}
