import groovy.json.JsonOutput
import org.junit.Before
import org.junit.Test

import static org.junit.Assert.*

/** autotuneMonitorPipeline on the fake tool: the scheduled job that restarts dead trial containers and resumes a study whose controller is gone. */
class MonitorPipelineTest extends HarnessTestBase {
    /** The tune job's model folder: another job's workspace, named by its absolute path. */
    File model
    Map config

    @Before
    void tuneJobFolder() {
        model = new File(workspace, 'tune-job/m')
        new File(model, '.autotune').mkdirs()
        new File(model, '.autotune/study.db').text = 'db'
        config = [model: model.absolutePath, target: 'accuracy>=0.9', toolPath: 'fake-bin']
        h.env.FAKE_DOCKER_EXIT = '0'
    }

    /** What `trials --json` answers: the study 'm', its trials by state, and the lock's controller and leftBy. */
    void study(List<String> states, Map controller = null, Map leftBy = null) {
        h.env.FAKE_TRIALS = JsonOutput.toJson([schema: 'autotune.trials/1', study: 'm', target: 'accuracy>=0.9', constraints: [],
            trials: states.withIndex().collect { String s, int i -> [number: i + 1, state: s, value: null, epochs: 1, values: [:]] },
            importance: null, importanceReason: 'few', controller: controller, leftBy: leftBy])
    }

    List<String> calls() { File f = new File("${argsLog.path}.all"); f.exists() ? f.readLines() : [] }

    List<String> monitorLines() { h.log.findAll { it.startsWith('autotuneMonitorPipeline:') || it.startsWith('WARNING') } }

    @Test
    void It_runs_every_minute_one_build_at_a_time() {
        study(['completed'])
        h.step('autotuneMonitorPipeline', config)
        assertEquals(['cron(* * * * *)'], h.triggers)
        assertEquals(['Setup', 'Monitor'], h.stages)
    }

    @Test
    void A_study_with_nothing_unfinished_restarts_no_trial_resumes_nothing_and_stays_green_in_one_line() {
        study(['completed', 'pruned'])
        h.step('autotuneMonitorPipeline', config)
        assertEquals(['monitor', '--study', 'm', '--retries', '3'], lastArgs('monitor'))
        assertNull('nothing to resume', lastArgs('run'))
        assertEquals(['autotuneMonitorPipeline: trials train in containers of the model\'s runtime image (a Docker engine answered on this agent; runner: \'process\' opts out)',
                      'autotuneMonitorPipeline: nothing to do: study m has no live controller and nothing left unfinished'], monitorLines())
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void A_study_whose_controller_was_killed_has_its_dead_containers_restarted_then_resumes_with_autotune_run() {
        study(['completed', 'running'], null, [command: 'run', pid: 4242, host: 'agent-1', since: '2026-12-01T10:00:00Z'])
        h.step('autotuneMonitorPipeline', config + [maxTrials: 8, environment: [MNIST_TRAIN_LIMIT: '1000']])
        assertTrue(monitorLines().contains('autotuneMonitorPipeline: the controller of study m is gone (`autotune run` (pid 4242 on agent-1, since 2026-12-01T10:00:00Z) ended without releasing it): resuming it with autotune run'))
        List<String> order = calls().collect { it.split(' ')[0] }.findAll { it in ['trials', 'monitor', 'run'] }
        assertEquals('the look comes before monitor takes the lock, and the containers before the resume', ['trials', 'monitor', 'run'], order)
        assertEquals(['run', model.absolutePath, '--target', 'accuracy>=0.9', '--max-trials', '8', '--strategy', 'tpe', '--seed', '0', '--device', 'auto',
                      '--study', 'm', '--no-apply', '--runner', 'docker'], lastArgs('run'))
        assertEquals('1000', h.shCalls.find { it.script.contains('" run "') }.env.MNIST_TRAIN_LIMIT)
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void A_study_whose_build_was_stopped_resumes_from_its_running_trial() {
        study(['completed', 'completed', 'running'])
        h.step('autotuneMonitorPipeline', config)
        assertTrue(monitorLines().any { it.contains('is gone (trial(s) 3 still running with no controller (its build was stopped))') })
        assertNotNull(lastArgs('run'))
    }

    @Test
    void A_study_another_build_is_running_is_left_alone_with_one_line_naming_it() {
        study(['running'], [command: 'run', pid: 77, host: 'agent-2', since: '2026-12-01T10:00:00Z'])
        h.step('autotuneMonitorPipeline', config)
        assertEquals(['autotuneMonitorPipeline: study m is held by `autotune run` (pid 77 on agent-2, since 2026-12-01T10:00:00Z): nothing to do while it runs'],
                     monitorLines())
        assertNull(lastArgs('monitor'))
        assertNull('no second controller', lastArgs('run'))
        assertEquals([], dockerCalls())
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void A_study_folder_it_cannot_read_fails_the_build_in_one_line() {
        h.step('autotuneMonitorPipeline', config + [model: new File(workspace, 'not-there/m').absolutePath])
        assertEquals('FAILURE', h.result)
        assertEquals(["ERROR in stage Monitor: autotuneMonitorPipeline: cannot read the study folder ${workspace}/not-there/m: give model: the tune job's model folder, a path on this agent that this job's user can read".toString()],
                     h.log.findAll { it.contains('cannot read') })
        assertNull(lastArgs('trials'))
    }

    @Test
    void A_study_the_tool_cannot_read_fails_the_build_in_one_line() {
        File wrapper = new File(workspace, 'fake-bin/autotune')
        wrapper.text = FAKE_TOOL.replace('exit "${FAKE_EXIT:-0}"', '[ "$1" = trials ] && exit 5; exit 0')
        h.step('autotuneMonitorPipeline', config)
        assertEquals('FAILURE', h.result)
        assertTrue(h.log.contains("ERROR in stage Monitor: autotuneMonitorPipeline: cannot read the study in ${model} (autotune trials exited 5; its line above says why)".toString()))
        assertNull(lastArgs('run'))
    }

    @Test
    void A_folder_with_no_study_yet_is_nothing_to_watch() {
        new File(model, '.autotune/study.db').delete()
        h.step('autotuneMonitorPipeline', config)
        assertEquals(["autotuneMonitorPipeline: nothing to watch yet: no study in ${model}/.autotune (the tune job has not run there)".toString()], monitorLines())
        assertNull(lastArgs('trials'))
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void An_agent_without_an_engine_looks_for_no_container_and_resumes_as_processes_with_one_warning() {
        h.env.FAKE_DOCKER_EXIT = '1'
        study(['running'])
        h.step('autotuneMonitorPipeline', config)
        assertNull(lastArgs('monitor'))
        assertEquals(['--runner', 'process'], lastArgs('run')[-2..-1])
        assertEquals(1, h.log.count { it.startsWith('WARNING: autotuneMonitorPipeline: no Docker engine on this agent') })
    }

    @Test
    void Runner_process_looks_for_no_engine() {
        study(['completed'])
        h.step('autotuneMonitorPipeline', config + [runner: 'process'])
        assertEquals([], dockerCalls())
        assertNull(lastArgs('monitor'))
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void A_trial_the_monitor_could_not_restart_fails_the_build() {
        File wrapper = new File(workspace, 'fake-bin/autotune')
        wrapper.text = FAKE_TOOL.replace('exit "${FAKE_EXIT:-0}"', '[ "$1" = monitor ] && exit 4; exit 0')
        study(['running'])
        h.step('autotuneMonitorPipeline', config)
        assertEquals('FAILURE', h.result)
        assertTrue(h.log.contains('ERROR in stage Monitor: autotuneMonitor: the model program failed (exit 4)'))
        assertNull('no resume after a failed restart', lastArgs('run'))
    }

    @Test
    void A_resumed_study_that_misses_its_target_makes_the_build_unstable() {
        File wrapper = new File(workspace, 'fake-bin/autotune')
        wrapper.text = FAKE_TOOL.replace('exit "${FAKE_EXIT:-0}"', '[ "$1" = run ] && exit 3; exit 0')
        study(['running'])
        h.step('autotuneMonitorPipeline', config)
        assertEquals('UNSTABLE', h.result)
    }

    @Test
    void The_sample_monitor_Jenkinsfile_runs_the_monitor_pipeline() {
        File installed = new File(workspace, '.autotune-tool/autotune')
        installFake(installed, FAKE_TOOL)
        study(['completed'])
        String text = new File(ROOT, 'samples/Jenkinsfile.monitor').text
        h.runJenkinsfile(text.replace("'/var/lib/jenkins/workspace/mnist-tune/samples/mnist-cnn'", "'${model.absolutePath}'"))
        assertEquals('SUCCESS', h.result)
        assertEquals(['cron(* * * * *)'], h.triggers)
        assertTrue(monitorLines().any { it.contains('nothing to do') })
    }
}
