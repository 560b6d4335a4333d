import org.junit.Test

import static org.junit.Assert.*

/** autotunePipeline on the fake tool: the stages, triggers and results the declarative pipeline records. */
class PipelineTest extends HarnessTestBase {
    Map config = [model: 'm', target: 'accuracy>=0.9', toolPath: 'fake-bin', study: 's', trialKeys: ['LearningRate']]

    @Test
    void A_run_shows_one_stage_per_trial_named_by_its_number_and_values() {
        h.step('autotunePipeline', config)
        assertEquals(['Checkout', 'Detect', 'Build image', 'Tune', 'Trials', 'Trial 1: LearningRate=0.001',
                      'Trial 2: LearningRate=0.01', 'Apply best values'], h.stages)
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
                      'Trial 2: LearningRate=0.01', 'Apply best values'], h.stages)
    }

    @Test
    void Nothing_is_applied_when_apply_is_off() {
        h.step('autotunePipeline', config + [apply: false, applyBranch: 'autotune/best'])
        assertFalse(h.shCalls.any { it.script.contains('git checkout') })
        assertTrue(h.shCalls.find { it.script.contains('" run "') }.env.AT_NO_APPLY == 'true')
    }

    /** Makes only `run` exit with the given code; every other command of the fake tool exits 0. */
    void runExits(int code) {
        new File(workspace, 'fake-bin/autotune').text = FAKE_TOOL.replace('exit "${FAKE_EXIT:-0}"', "[ \"\$1\" = run ] && exit ${code}; exit 0")
    }

    /** Every call of the fake tool in order, as "command args..." lines. */
    List<String> calls() { File f = new File(argsLog.path + '.all'); f.exists() ? f.readLines() : [] }

    @Test
    void A_failing_tune_still_reports_and_sends_the_failure_mail_when_notifyOn_is_failure() {
        runExits(4)
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com', notifyOn: 'failure'])
        assertEquals('FAILURE', h.result)
        List<String> order = calls().collect { it.split(' ')[0] }
        assertTrue("${order}", order.indexOf('notify') > order.indexOf('run'))
        assertTrue("${order}", order.indexOf('report') > order.indexOf('run'))
        assertEquals(['notify', 'm', '--to', 'dev@example.com', '--on', 'failure', '--study', 's'], lastArgs('notify'))
        assertTrue("${h.archived}", h.archived.containsAll(['m/.autotune/study.db', 'm/.autotune/report/report.html']))
        assertFalse('report and notify are no stages: a failed stage would skip them', h.stages.any { it in ['Report', 'Notify'] })
    }

    @Test
    void A_mail_server_that_refuses_makes_a_tuned_build_unstable_in_one_line_and_keeps_the_archive() {
        // Only `notify` fails, as the tool does when the SMTP server refuses (exit 5, infrastructure).
        new File(workspace, 'fake-bin/autotune').text = FAKE_TOOL.replace('exit "${FAKE_EXIT:-0}"', '[ "$1" = notify ] && exit 5; exit 0')
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com'])
        assertEquals('UNSTABLE', h.result)
        assertEquals(1, h.log.count { it.contains('the mail was not sent') })
        assertTrue("${h.archived}", h.archived.containsAll(['m/.autotune/study.db', 'm/.autotune/report/report.html']))
    }

    @Test
    void A_mail_server_that_refuses_leaves_a_failed_build_failed() {
        new File(workspace, 'fake-bin/autotune').text = FAKE_TOOL.replace('exit "${FAKE_EXIT:-0}"', '[ "$1" = run ] && exit 4; [ "$1" = notify ] && exit 5; exit 0')
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com', notifyOn: 'failure'])
        assertEquals('FAILURE', h.result)
    }

    @Test
    void A_missed_target_sends_the_mail_with_notifyOn_always() {
        runExits(3)
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com', notifyOn: 'always'])
        assertEquals('UNSTABLE', h.result)
        assertEquals(['notify', 'm', '--to', 'dev@example.com', '--on', 'always', '--study', 's'], lastArgs('notify'))
    }

    @Test
    void A_success_with_notifyOn_failure_runs_notify_with_on_failure_and_the_tool_decides_not_to_send() {
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com', notifyOn: 'failure'])
        assertEquals('SUCCESS', h.result)
        assertEquals(['notify', 'm', '--to', 'dev@example.com', '--on', 'failure', '--study', 's'], lastArgs('notify'))
    }

    @Test
    void Nothing_to_report_says_so_in_one_line_and_the_build_keeps_its_result() {
        h.env.FAKE_NO_STUDY = '1'
        runExits(2)
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com', notifyOn: 'failure'])
        assertEquals('FAILURE', h.result)
        assertNull('no report without a study', lastArgs('report'))
        assertNull('no mail without a study', lastArgs('notify'))
        List<String> lines = h.log.findAll { it.contains('no report and no mail') }
        assertEquals(h.log.join('\n'), 1, lines.size())
        assertTrue(lines[0], lines[0].contains('m/.autotune/study.db'))
        assertFalse(h.log.join('\n'), h.log.any { it.startsWith('ERROR in post') })
    }

    @Test
    void A_setup_that_installed_no_tool_reports_nothing_and_the_post_section_does_not_throw() {
        h.env.remove('AUTOTUNE')
        // The install itself is not part of the test: autotuneSetup's script fails as a missing package would.
        h.shHandler = { Map call -> call.script.contains('dotnet tool update') ? 1 : h.runBash(call) }
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com'])
        assertEquals('FAILURE', h.result)
        assertEquals(['Checkout'], h.stages)
        assertEquals(1, h.log.count { it.contains('no report and no mail: the tool was never installed') })
        assertFalse(h.log.join('\n'), h.log.any { it.startsWith('ERROR in post') })
    }

    @Test
    void A_tool_package_the_agents_sources_lack_fails_the_build_at_setup_with_one_line_saying_what_to_do() {
        h.env.remove('AUTOTUNE')
        fakeDotnetWithoutThePackage()
        h.step('autotunePipeline', config + [toolPath: '.autotune-tool', toolSource: 'https://nuget.example.com/v3/index.json'])
        assertEquals('FAILURE', h.result)
        assertEquals('FAILURE', h.stageResults['Checkout'])
        assertEquals(['Checkout'], h.stages)
        List<String> lines = h.log.findAll { it.contains('Autotune.Tool 0.1.0 was not found on https://nuget.example.com/v3/index.json or the agent') }
        assertEquals(h.log.join('\n'), 1, lines.size())
        assertFalse('one line', lines[0].contains('\n'))
    }

    @Test
    void A_report_that_fails_still_lets_the_mail_go_and_fails_the_build() {
        // Before the fake's own report case, whose argument loop shifts $1 away.
        new File(workspace, 'fake-bin/autotune').text = FAKE_TOOL.replace('case "$1" in', '[ "$1" = report ] && exit 5\ncase "$1" in')
        h.step('autotunePipeline', config + [notifyTo: 'dev@example.com'])
        assertEquals('FAILURE', h.result)
        assertNotNull(lastArgs('notify'))
    }

    @Test
    void A_pruned_trials_stage_and_a_failed_trials_stage_are_marked_while_the_build_stays_success() {
        h.env.FAKE_TRIALS = '{"schema":"autotune.trials/1","trials":[' +
            '{"number":1,"state":"completed","value":0.95,"epochs":2,"values":{"LearningRate":0.001}},' +
            '{"number":2,"state":"pruned","value":0.4,"epochs":1,"values":{"LearningRate":0.01}},' +
            '{"number":3,"state":"failed","value":null,"epochs":0,"error":"out of memory","values":{"LearningRate":0.1}}]}'
        h.step('autotunePipeline', config)
        assertEquals('the study reached its target: failed and pruned trials do not change that', 'SUCCESS', h.result)
        assertEquals('SUCCESS', h.stageResults['Trial 1: LearningRate=0.001'])
        assertEquals('UNSTABLE', h.stageResults['Trial 2: LearningRate=0.01'])
        assertEquals('FAILURE', h.stageResults['Trial 3: LearningRate=0.1'])
        assertTrue(h.log.join('\n'), h.log.any { it.contains('trial 2 pruned after 1 epoch(s)') })
        assertTrue(h.log.join('\n'), h.log.any { it.contains('trial 3 failed: out of memory') })
        // The stages after the trials still run: catchError kept the failed trial's error inside its stage.
        assertTrue(h.stages.contains('Apply best values'))
    }

    @Test
    void A_missed_target_stays_unstable_whatever_the_trials_stages_show() {
        runExits(3)
        h.step('autotunePipeline', config)
        assertEquals('UNSTABLE', h.result)
        assertEquals('UNSTABLE', h.stageResults['Trial 2: LearningRate=0.01'])
    }
}
