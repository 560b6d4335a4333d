import org.junit.Test

import static org.junit.Assert.*

/** autotunePipeline trains in containers when the agent has a Docker engine, and says so in one line when it has none. */
class ContainerRunnerTest extends HarnessTestBase {
    Map config = [model: 'm', target: 'accuracy>=0.9', toolPath: 'fake-bin', study: 's']

    List<String> warnings() { h.log.findAll { it.contains('WARNING') } }

    @Test
    void An_agent_with_a_Docker_engine_builds_the_image_and_trains_every_trial_in_a_container() {
        h.env.FAKE_DOCKER_EXIT = '0'
        h.step('autotunePipeline', config)
        assertEquals(['info DOCKER_HOST='], dockerCalls())
        assertEquals(['image', 'build', 'm'], lastArgs('image'))
        List<String> run = lastArgs('run')
        assertEquals(['--runner', 'docker'], run[run.indexOf('--runner')..run.indexOf('--runner') + 1])
        assertFalse('the profile decides the GPUs unless gpus: says otherwise', run.contains('--gpus'))
        assertEquals('SUCCESS', h.stageResults['Build image'])
        assertEquals([], warnings())
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void The_engine_looked_for_is_the_one_the_tool_is_given_and_gpus_reach_the_run() {
        h.env.FAKE_DOCKER_EXIT = '0'
        h.step('autotunePipeline', config + [dockerHost: 'tcp://docker.example:2375', gpus: 'all'])
        assertEquals(['info DOCKER_HOST=tcp://docker.example:2375'], dockerCalls())
        assertEquals(['image', 'build', 'm', '--docker-host', 'tcp://docker.example:2375'], lastArgs('image'))
        assertEquals(['--runner', 'docker', '--docker-host', 'tcp://docker.example:2375', '--gpus', 'all'], lastArgs('run')[-6..-1])
    }

    @Test
    void An_agent_without_an_engine_trains_as_processes_with_one_warning_line() {
        h.env.FAKE_DOCKER_EXIT = '1'
        h.step('autotunePipeline', config + [gpus: 'all'])
        assertEquals(["WARNING: autotunePipeline: no Docker engine on this agent (`docker info` exited 1): trials train as plain processes; install Docker for containers, or pass runner: 'process' to say so"],
                     warnings())
        assertNull('no image without an engine', lastArgs('image'))
        assertEquals('NOT_BUILT', h.stageResults['Build image'])
        assertEquals(['--runner', 'process'], lastArgs('run')[-2..-1])
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void An_agent_without_the_docker_command_says_so_in_its_warning() {
        h.env.FAKE_DOCKER_EXIT = '127'
        h.step('autotunePipeline', config)
        assertEquals(1, warnings().size())
        assertTrue(warnings()[0], warnings()[0].contains('(no docker command)'))
    }

    @Test
    void Runner_process_opts_out_without_looking_for_an_engine() {
        h.env.FAKE_DOCKER_EXIT = '0'
        h.step('autotunePipeline', config + [runner: 'process'])
        assertEquals([], dockerCalls())
        assertNull(lastArgs('image'))
        assertEquals(['--runner', 'process'], lastArgs('run')[-2..-1])
        assertEquals([], warnings())
    }

    @Test
    void The_model_s_own_autotune_json_runner_is_kept_without_looking_for_an_engine() {
        h.env.FAKE_DOCKER_EXIT = '0'
        new File(workspace, 'm').mkdirs()
        new File(workspace, 'm/autotune.json').text = '{"target": "accuracy>=0.9", "runner": "process"}'
        h.step('autotunePipeline', config)
        assertEquals([], dockerCalls())
        assertEquals(['--runner', 'process'], lastArgs('run')[-2..-1])
    }

    @Test
    void An_image_that_fails_to_build_fails_the_build_in_one_line_before_any_trial_and_still_reports() {
        h.env.FAKE_DOCKER_EXIT = '0'
        h.env.FAKE_IMAGE_EXIT = '5'
        h.step('autotunePipeline', config)
        assertEquals('FAILURE', h.result)
        assertEquals('FAILURE', h.stageResults['Build image'])
        assertEquals('Build image', h.stages[-1])
        assertNull('no trial trains without its image', lastArgs('run'))
        assertEquals(["ERROR in stage Build image: autotunePipeline: the runtime image of m did not build (exit 5; the tool's line above says why): fix it, or pass runner: 'process' to train without a container"],
                     h.log.findAll { it.contains('did not build') })
        assertTrue(h.log.any { it.startsWith('autotunePipeline: no report and no mail') })
    }

    @Test
    void A_runner_that_is_neither_process_nor_docker_is_refused_in_one_line() {
        assertEquals("autotunePipeline: runner 'podman' is not one of process, docker ('': docker when the agent has an engine)",
                     failureOf('autotunePipeline', config + [runner: 'podman']))
    }

    @Test
    void Parallel_trials_on_other_agents_look_for_no_engine() {
        h.env.FAKE_DOCKER_EXIT = '0'
        h.step('autotunePipeline', config + [parallel: 2])
        assertEquals([], dockerCalls())
        assertNull(lastArgs('image'))
    }
}
