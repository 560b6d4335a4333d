import org.junit.Before
import org.junit.Test

import static org.junit.Assert.*

/** autotunePipeline(parallel: N): ask for trials, train each on an agent in a parallel branch, tell them back. */
class ParallelPipelineTest extends HarnessTestBase {
    Map config = [model: 'm', target: 'accuracy>=0.9', toolPath: 'fake-bin', study: 's', trialKeys: ['LearningRate'],
                  parallel: 2, trialAgentLabel: 'gpu']

    // The model folder the controller stashes for the agents: stash, as in Jenkins, fails on no files.
    @Before
    void makeModel() {
        new File(workspace, 'm').mkdirs()
        new File(workspace, 'm/Model.csproj').text = '<Project />'
    }

    // contains, not startsWith: ask's script begins by turning AT_CONSTRAINTS into arguments.
    List<Map> calls(String command) { h.shCalls.findAll { (it.script as String).contains("\"\$AUTOTUNE\" ${command} ") } }

    @Test
    void Ask_gets_the_constraints_the_tune_run_would_get() {
        h.step('autotunePipeline', config + [constraints: ['params<=200000']])
        List<String> ask = lastArgs('ask')
        assertEquals(['ask', 'm', '--target', 'accuracy>=0.9', '--constraint', 'params<=200000', '--count', '2'], ask.take(8))
    }

    @Test
    void Ask_gets_the_metrics_to_minimize_the_tune_run_would_get() {
        h.step('autotunePipeline', config + [minimize: ['params']])
        assertEquals(['ask', 'm', '--target', 'accuracy>=0.9', '--minimize', 'params', '--count', '2'], lastArgs('ask').take(8))
    }

    @Test
    void Each_asked_trial_trains_on_an_agent_in_a_branch_named_by_its_number_and_values() {
        h.step('autotunePipeline', config)
        assertEquals('SUCCESS', h.result)
        assertTrue(h.stages.containsAll(['Trial 1: LearningRate=0.001', 'Trial 2: LearningRate=0.01']))
        assertTrue('the recorded Trials stage is skipped: the branches were the trials', h.log.contains('Stage "Trials" skipped due to when conditional'))
        assertEquals(['gpu', 'gpu'], h.nodes)
        List<Map> trains = calls('train')
        assertEquals(['BatchSize=64,LearningRate=0.001', 'BatchSize=32,LearningRate=0.01'], trains.collect { it.env.AT_VALUES })
        assertEquals(['1', '2'], trains.collect { it.env.AT_N })
        assertEquals(['', '2'], trains.collect { it.env.AT_EPOCHS })
    }

    @Test
    void Every_trial_is_told_back_on_the_controller_and_the_study_is_asked_until_done() {
        h.step('autotunePipeline', config)
        assertEquals(2, calls('ask').size())
        assertEquals('2', calls('ask')[0].env.AT_COUNT)
        assertEquals(['.autotune-trials/1', '.autotune-trials/2'], calls('tell').collect { it.env.AT_DIR })
        assertEquals(1, calls('apply').size())
    }

    @Test
    void A_spent_budget_makes_the_build_unstable_and_applies_nothing() {
        h.env.FAKE_ASK_END = 'budget-spent'
        h.step('autotunePipeline', config)
        assertEquals('UNSTABLE', h.result)
        assertTrue(calls('apply').isEmpty())
        assertTrue(h.log.any { it.contains('target accuracy>=0.9 not reached (budget-spent)') })
    }

    @Test
    void Values_with_shell_syntax_reach_train_as_environment_never_as_command_text() {
        h.step('autotunePipeline', config)
        calls('train').each { assertFalse((it.script as String).contains('LearningRate')) }
    }

    @Test
    void A_trial_folder_an_earlier_build_left_is_removed_before_train_and_before_its_stash_comes_back() {
        File stale = new File(workspace, '.autotune-trials/1/trial.json')
        stale.parentFile.mkdirs()
        stale.text = '{"schema":"autotune.trial/1","project":"m","study":"an-earlier-build","trial":1}'
        h.step('autotunePipeline', config)
        assertEquals(h.log.join('\n'), 'SUCCESS', h.result)
        assertFalse(stale.exists())
        // On the agent before train writes the folder, and on the controller before unstash: tell (which needs the
        // result.json train wrote) reads only what this build trained.
        List<String> order = h.shCalls.collect { Map c ->
            String s = c.script as String
            s.startsWith('rm ') ? "rm ${c.env.AT_DIR}" : ['train', 'tell'].any { s.startsWith('"$AUTOTUNE" ' + it + ' ') } ? "${s.split(' ')[1]} ${c.env.AT_N}" : null
        }.findAll()*.toString()
        assertEquals(['rm .autotune-trials/1', 'train 1', 'rm .autotune-trials/2', 'train 2',
                      'rm .autotune-trials/1', 'tell 1', 'rm .autotune-trials/2', 'tell 2'], order)
    }

    @Test
    void The_configured_study_reaches_train_so_the_trial_folder_names_the_study_tell_records_it_in() {
        h.step('autotunePipeline', config)
        List<String> train = lastArgs('train'), tell = lastArgs('tell')
        assertTrue("${train}", train.contains('--study'))
        assertEquals('s', train[train.indexOf('--study') + 1])
        assertEquals('s', tell[tell.indexOf('--study') + 1])
    }

    @Test
    void Without_a_configured_study_no_command_names_one_and_the_tool_takes_the_projects() {
        h.step('autotunePipeline', config + [study: ''])
        ['ask', 'train', 'tell', 'apply'].each { assertFalse(it, lastArgs(it).contains('--study')) }
    }

    @Test
    void The_model_environment_reaches_the_agents() {
        h.step('autotunePipeline', config + [environment: [MNIST_TRAIN_LIMIT: '1000']])
        assertEquals(['1000', '1000'], calls('train').collect { it.env.MNIST_TRAIN_LIMIT })
    }

    @Test
    void A_pruned_branch_and_a_failed_branch_are_marked_while_the_study_decides_the_build() {
        h.env.FAKE_STATE_1 = 'failed'
        h.env.FAKE_STATE_2 = 'pruned'
        h.step('autotunePipeline', config)
        assertEquals(h.log.join('\n'), 'SUCCESS', h.result)
        assertEquals('FAILURE', h.stageResults['Trial 1: LearningRate=0.001'])
        assertEquals('UNSTABLE', h.stageResults['Trial 2: LearningRate=0.01'])
        assertEquals('both trials were still told back', ['.autotune-trials/1', '.autotune-trials/2'], calls('tell').collect { it.env.AT_DIR })
    }

    @Test
    void A_branch_whose_train_wrote_no_result_is_marked_failed() {
        h.env.FAKE_NO_RESULT_2 = '1'
        h.step('autotunePipeline', config)
        assertEquals('SUCCESS', h.stageResults['Trial 1: LearningRate=0.001'])
        assertEquals('FAILURE', h.stageResults['Trial 2: LearningRate=0.01'])
        assertTrue(h.log.join('\n'), h.log.any { it.contains('wrote no .autotune-trials/2/result.json') })
    }

    @Test
    void Two_agents_with_different_workspaces_each_train_with_their_own_tool_while_ask_tell_and_apply_keep_the_controllers() {
        List<File> agents = ['a', 'b'].collect { File.createTempDir("autotune-agent-${it}", '') }
        try {
            // Each agent has its own install, as autotuneSetup leaves it in that agent's workspace.
            for (File ws in agents) { installFake(new File(ws, 'fake-bin/autotune'), FAKE_TOOL) }
            h.agentWorkspaces.addAll(agents)
            String controllerTool = "${workspace.absolutePath}/fake-bin/autotune"
            h.step('autotunePipeline', config)
            assertEquals(h.log.join('\n'), 'SUCCESS', h.result)
            List<Map> trains = calls('train')
            assertEquals(agents*.absolutePath, trains.collect { it.dir })
            assertEquals(agents.collect { "${it.absolutePath}/fake-bin/autotune".toString() }, trains.collect { it.env.AUTOTUNE })
            assertEquals('each trial trained in its own agent\'s workspace', [true, true],
                         [1, 2].collect { new File(agents[it - 1], ".autotune-trials/${it}/result.json").exists() })
            ['ask', 'tell', 'apply'].each { String c ->
                assertFalse(c, calls(c).isEmpty())
                calls(c).each { assertEquals(c, controllerTool, it.env.AUTOTUNE); assertEquals(c, workspace.absolutePath, it.dir) }
            }
            assertEquals('the build-wide value is still the controller\'s', controllerTool, h.env.AUTOTUNE)
        } finally {
            agents*.deleteDir()
        }
    }

    @Test
    void A_completed_branch_is_green() {
        h.step('autotunePipeline', config)
        assertEquals(['SUCCESS', 'SUCCESS'], ['Trial 1: LearningRate=0.001', 'Trial 2: LearningRate=0.01'].collect { h.stageResults[it] })
    }
}
