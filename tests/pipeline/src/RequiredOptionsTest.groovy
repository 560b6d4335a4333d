import org.junit.Test

class RequiredOptionsTest extends HarnessTestBase {
    @Test void Detect_needs_a_model() { assertRequired('autotuneDetect', [:], "autotuneDetect: 'model' is required (the folder of the model project)") }
    @Test void Train_needs_a_model() { assertRequired('autotuneTrain', [:], "autotuneTrain: 'model' is required (the folder of the model project)") }
    @Test void Tune_needs_a_model() { assertRequired('autotuneTune', [target: 'accuracy>=0.9'], "autotuneTune: 'model' is required (the folder of the model project)") }
    @Test void Tune_needs_a_target() { assertRequired('autotuneTune', [model: 'm'], "autotuneTune: 'target' is required (a goal such as 'accuracy>=0.99')") }
    @Test void Trials_needs_a_model() { assertRequired('autotuneTrials', [:], "autotuneTrials: 'model' is required (the folder of the model project)") }
    @Test void Report_needs_a_model() { assertRequired('autotuneReport', [:], "autotuneReport: 'model' is required (the folder of the model project)") }
    @Test void Notify_needs_a_model() { assertRequired('autotuneNotify', [to: 'a@example.com'], "autotuneNotify: 'model' is required (the folder of the model project)") }
    @Test void Notify_needs_recipients() { assertRequired('autotuneNotify', [model: 'm'], "autotuneNotify: 'to' is required (recipients, comma-separated)") }
    @Test void Monitor_needs_a_retry_count() { assertRequired('autotuneMonitor', [retries: ''], "autotuneMonitor: 'retries' is required (restarts per trial)") }
    @Test void Image_needs_a_model() { assertRequired('autotuneImage', [:], "autotuneImage: 'model' is required (the folder of the model project)") }
    @Test void Setup_needs_a_version() { assertRequired('autotuneSetup', [version: ''], "autotuneSetup: 'version' is required (the tool version to install)") }
    @Test void Setup_needs_a_tool_path() { assertRequired('autotuneSetup', [toolPath: ''], "autotuneSetup: 'toolPath' is required (the folder to install the tool into)") }
    @Test void ExitCode_needs_a_status() { assertRequired('autotuneExitCode', [:], "autotuneExitCode: 'status' is required (the tool's exit code)") }
    @Test void Pipeline_needs_a_model() { assertRequired('autotunePipeline', [target: 'accuracy>=0.9'], "autotunePipeline: 'model' is required (the folder of the model project)") }
    @Test void Pipeline_pull_request_needs_a_branch() { assertRequired('autotunePipeline', [model: 'm', target: 't', pullRequest: true, githubCredentialsId: 'gh'], "autotunePipeline: 'pullRequest' needs 'applyBranch' (the branch to open it from)") }
    @Test void Pipeline_pull_request_needs_a_token() { assertRequired('autotunePipeline', [model: 'm', target: 't', pullRequest: true, applyBranch: 'b'], "autotunePipeline: 'pullRequest' needs 'githubCredentialsId' (a secret-text credential holding a GitHub token)") }
    @Test void Pipeline_needs_a_target() { assertRequired('autotunePipeline', [model: 'm'], "autotunePipeline: 'target' is required (a goal such as 'accuracy>=0.99')") }
    @Test void MonitorPipeline_needs_a_model() { assertRequired('autotuneMonitorPipeline', [target: 'accuracy>=0.9'], "autotuneMonitorPipeline: 'model' is required (the tune job's model folder, such as /var/lib/jenkins/workspace/mnist-tune/samples/mnist-cnn)") }
    @Test void MonitorPipeline_needs_a_target() { assertRequired('autotuneMonitorPipeline', [model: '/w/m'], "autotuneMonitorPipeline: 'target' is required (the tune job's target, for resuming the study)") }
    @Test void Runner_needs_a_model() { assertRequired('autotuneRunner', [:], "autotuneRunner: 'model' is required (the folder of the model project)") }
    @Test void Runner_refuses_an_unknown_runner() { assertRequired('autotuneRunner', [model: 'm', runner: 'podman'], "autotuneRunner: runner 'podman' is not one of process, docker ('': docker when the agent has an engine)") }
}
