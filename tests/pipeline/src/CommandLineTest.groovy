import org.junit.Test

import static org.junit.Assert.*

class CommandLineTest extends HarnessTestBase {
    @Test
    void Tune_renders_every_option_as_its_own_argument() {
        h.step('autotuneTune', [model: 'samples/mnist-cnn', target: 'accuracy>=0.99', maxTrials: 5, maxEpochs: 2, timeout: 600,
                                strategy: 'random', seed: 7, study: 's1', apply: false, asha: false])
        assertEquals(['run', 'samples/mnist-cnn', '--target', 'accuracy>=0.99', '--max-trials', '5', '--max-epochs', '2',
                      '--timeout', '600', '--strategy', 'random', '--seed', '7', '--device', 'auto', '--study', 's1',
                      '--no-apply', '--no-asha'], toolArgs())
        assertEquals('SUCCESS', h.result)
    }

    @Test
    void Tune_passes_each_constraint_as_its_own_argument_through_the_environment() {
        h.step('autotuneTune', [model: 'm', target: 'accuracy>=0.9', constraints: ['params<=200000', 'latency_ms<2; rm -rf /']])
        assertEquals(['run', 'm', '--target', 'accuracy>=0.9', '--constraint', 'params<=200000', '--constraint', 'latency_ms<2; rm -rf /',
                      '--max-trials', '20', '--strategy', 'tpe', '--seed', '0', '--device', 'auto'], toolArgs())
        assertFalse(h.shCalls[0].script.contains('params'))
        assertNotNull(failureOf('autotuneTune', [model: 'm', target: 'accuracy>=0.9', constraints: ['params<=1\nx']]))
    }

    @Test
    void Tune_passes_the_metrics_to_minimize_as_one_comma_list_through_the_environment() {
        h.step('autotuneTune', [model: 'm', target: 'accuracy>=0.9', minimize: ['params', 'latency_ms']])
        assertEquals(['run', 'm', '--target', 'accuracy>=0.9', '--minimize', 'params,latency_ms',
                      '--max-trials', '20', '--strategy', 'tpe', '--seed', '0', '--device', 'auto'], toolArgs())
        assertFalse(h.shCalls[0].script.contains('params'))
    }

    @Test
    void Tune_applies_the_best_values_after_the_run_so_code_without_a_block_is_written_back_too() {
        h.step('autotuneTune', [model: 'm', target: 'loss<0.05', study: 's2'])
        assertEquals(['apply', 'm', '--best', '--study', 's2'], applyArgs())
    }

    @Test
    void Tune_applies_nothing_when_apply_is_off_or_the_run_failed() {
        h.step('autotuneTune', [model: 'm', target: 'loss<0.05', apply: false])
        assertNull(applyArgs())
        h.env.FAKE_EXIT = '4'
        assertNotNull(failureOf('autotuneTune', [model: 'm', target: 'loss<0.05']))
        assertNull(applyArgs())
    }

    @Test
    void Tune_leaves_out_the_options_left_empty() {
        h.step('autotuneTune', [model: 'm', target: 'loss<0.05'])
        assertEquals(['run', 'm', '--target', 'loss<0.05', '--max-trials', '20', '--strategy', 'tpe', '--seed', '0', '--device', 'auto'], toolArgs())
    }

    @Test
    void Values_reach_the_shell_only_through_the_environment() {
        h.step('autotuneTune', [model: 'm', target: 'accuracy>=0.9', study: 'study-x'])
        Map call = h.shCalls[0]
        assertFalse(call.script.contains('study-x'))
        assertFalse(call.script.contains('accuracy'))
        assertEquals('study-x', call.env.AT_STUDY)
        assertEquals('accuracy>=0.9', call.env.AT_TARGET)
    }

    @Test
    void A_value_with_quotes_substitutions_and_backticks_arrives_intact_and_inert() {
        String evil = 'it\'s "x" $(touch pwned-1) `touch pwned-2` ${HOME} ; touch pwned-3'
        h.step('autotuneTune', [model: evil, target: evil, study: evil])
        List<String> args = toolArgs()
        assertEquals(evil, args[1])
        assertEquals(evil, args[args.indexOf('--target') + 1])
        assertEquals(evil, args[args.indexOf('--study') + 1])
        assertEquals([], workspace.list().findAll { it.startsWith('pwned') })
    }

    @Test
    void Train_renders_its_options() {
        h.step('autotuneTrain', [model: 'm', epochs: 3, seed: 1, device: 'cpu'])
        assertEquals(['train', 'm', '--epochs', '3', '--seed', '1', '--device', 'cpu', '--runner', 'process', '--retries', '3'], toolArgs())
    }

    @Test
    void Detect_returns_the_profile_as_a_map() {
        Map profile = h.step('autotuneDetect', [model: 'm'])
        assertEquals(['detect', 'm', '--json'], toolArgs())
        assertEquals('TorchSharp', profile.framework.name)
    }

    @Test
    void Trials_returns_the_list_of_trials() {
        List trials = h.step('autotuneTrials', [model: 'm', study: 's'])
        assertEquals(['trials', 'm', '--study', 's', '--json'], toolArgs())
        assertEquals([1, 2], trials*.number)
    }

    @Test
    void Report_writes_archives_and_publishes_the_report() {
        String out = h.step('autotuneReport', [model: 'm', study: 's'])
        assertEquals(['report', 'm', '--study', 's', '--out', 'm/.autotune/report'], toolArgs())
        assertEquals('m/.autotune/report', out)
        assertEquals(['m/.autotune/report/report.html', 'm/.autotune/report/report.json'], h.archived)
        assertEquals('report.html', h.published[0].target.reportFiles)
    }

    @Test
    void Notify_hands_the_smtp_login_over_only_through_credentials() {
        h.credentials['smtp'] = [username: 'bot', password: 'p@ss $(rm -rf /)']
        h.step('autotuneNotify', [model: 'm', to: 'a@example.com,b@example.com', on: 'failure', credentialsId: 'smtp', smtpHost: 'mail.local'])
        assertEquals(['notify', 'm', '--to', 'a@example.com,b@example.com', '--on', 'failure', '--smtp-host', 'mail.local'], toolArgs())
        assertEquals(['AUTOTUNE_SMTP_USER=bot', 'AUTOTUNE_SMTP_PASSWORD=p@ss $(rm -rf /)'], new File(argsLog.path + '.env').readLines())
        assertFalse(h.shCalls[0].script.contains('p@ss'))
    }

    @Test
    void Monitor_renders_its_options() {
        h.step('autotuneMonitor', [study: 's', retries: 1])
        assertEquals(['monitor', '--study', 's', '--retries', '1'], toolArgs())
    }

    @Test
    void Image_renders_its_options() {
        h.step('autotuneImage', [model: 'm', dryRun: true])
        assertEquals(['image', 'build', 'm', '--dry-run'], toolArgs())
    }

    @Test
    void Setup_installs_the_pinned_version_from_the_given_feed() {
        h.shHandler = { Map call -> 0 }
        String tool = h.step('autotuneSetup', [source: '/feeds/local'])
        Map call = h.shCalls[0]
        assertEquals('0.1.0', call.env.AT_VERSION)
        assertEquals('Autotune.Tool', call.env.AT_PACKAGE)
        assertEquals('/feeds/local', call.env.AT_SOURCE)
        assertTrue(call.script.contains('dotnet tool update --tool-path "$AT_TOOL_PATH" --version "$AT_VERSION" ${AT_SOURCE:+--add-source "$AT_SOURCE"} "$AT_PACKAGE"'))
        assertEquals("${workspace.absolutePath}/.autotune-tool/autotune".toString(), tool)
        assertEquals(tool, h.env.AUTOTUNE)
    }

    @Test
    void Setup_of_a_package_the_given_feed_lacks_fails_with_one_line_naming_version_source_and_what_to_do() {
        fakeDotnetWithoutThePackage()
        String message = failureOf('autotuneSetup', [source: '/feeds/local'])
        assertEquals("autotuneSetup: Autotune.Tool 0.1.0 was not found on /feeds/local or the agent's NuGet sources: " +
            'publish it once with `dotnet cake --target=Pack` and NUGET_SOURCE=<your feed> (see docs/jenkins.md), ' +
            'or pass source: a folder or feed that has it', message)
        assertEquals('dotnet tried the pinned version from that feed', 'tool update --tool-path .autotune-tool --version 0.1.0 --add-source /feeds/local Autotune.Tool',
            new File(argsLog.path + '.dotnet').text.trim())
        assertTrue('dotnet\'s own line stays in the log', h.log.any { it.contains('Version 0.1.0 of package autotune.tool is not found in NuGet feeds') })
        assertEquals('a failed install points no step at a tool', "${workspace.absolutePath}/fake-autotune".toString(), h.env.AUTOTUNE)
    }

    @Test
    void Setup_of_a_package_no_configured_source_has_names_the_agents_sources() {
        fakeDotnetWithoutThePackage()
        assertTrue(failureOf('autotuneSetup', [version: '0.9.1']).startsWith(
            "autotuneSetup: Autotune.Tool 0.9.1 was not found on the agent's NuGet sources: publish it once"))
    }

    @Test
    void Setup_that_fails_for_another_reason_keeps_the_general_message_and_dotnets_code() {
        installFake(new File(workspace, 'fake-dotnet/dotnet'), '#!/bin/bash\necho "Unable to load the service index for source https://feed.example/v3/index.json." >&2\nexit 7\n')
        h.env.PATH = "${workspace.absolutePath}/fake-dotnet:${System.getenv('PATH')}".toString()
        assertEquals('autotuneSetup: could not install Autotune.Tool 0.1.0 into .autotune-tool (exit 7)', failureOf('autotuneSetup', [:]))
    }

    @Test
    void Setup_with_setEnv_false_returns_the_path_and_leaves_env_AUTOTUNE_as_it_was() {
        h.shHandler = { Map call -> 0 }
        String before = h.env.AUTOTUNE
        assertEquals("${workspace.absolutePath}/cache/autotune".toString(), h.step('autotuneSetup', [toolPath: 'cache', setEnv: false]))
        assertEquals(before, h.env.AUTOTUNE)
    }

    @Test
    void Setup_keeps_a_tool_of_the_pinned_version() {
        File bin = new File(workspace, 'cache/autotune')
        bin.parentFile.mkdirs()
        bin.text = '#!/bin/bash\necho 0.1.0+abc\n'
        bin.setExecutable(true)
        h.step('autotuneSetup', [toolPath: 'cache'])
        assertTrue(h.log.join('\n').contains('autotune 0.1.0 is already in cache'))
    }
}
