import org.junit.After
import org.junit.Before

import static org.junit.Assert.*

/** A harness on a temporary workspace, with `autotune` replaced by a script that logs its arguments. */
abstract class HarnessTestBase {
    static final File ROOT = new File(System.getProperty('autotune.root', '.')).canonicalFile
    File workspace
    File argsLog
    PipelineHarness h

    // Logs each argument on its own line (each call appended to FAKE_ARGS.all too), answers detect/trials with JSON,
    // makes the study's store on run/ask, writes a report, trains into and tells from a trial folder, exits FAKE_EXIT.
    static final String FAKE_TOOL = '''#!/bin/bash
# apply (which autotuneTune runs after run) is logged apart, so toolArgs() stays the step's main command.
if [ "$1" = apply ]; then printf '%s\\n' "$@" > "$FAKE_ARGS.apply"; else printf '%s\\n' "$@" > "$FAKE_ARGS"; fi
printf '%s\\n' "$@" > "$FAKE_ARGS.$1"   # the last call of each command, for steps that run several
echo "$*" >> "$FAKE_ARGS.all"           # every call in order, one line each
printf 'AUTOTUNE_SMTP_USER=%s\\nAUTOTUNE_SMTP_PASSWORD=%s\\n' "${AUTOTUNE_SMTP_USER:-}" "${AUTOTUNE_SMTP_PASSWORD:-}" > "$FAKE_ARGS.env"
# As the real tool: run and ask make the study's store, unless FAKE_NO_STUDY says the tool stopped before any study existed.
if { [ "$1" = run ] || [ "$1" = ask ]; } && [ -z "${FAKE_NO_STUDY:-}" ]; then mkdir -p "$2/.autotune" && touch "$2/.autotune/study.db"; fi
case "$1" in
  --version) echo 0.1.0+fake ;;
  detect) echo '{"schema":"autotune.detect/1","framework":{"name":"TorchSharp"}}' ;;
  # FAKE_IMAGE_EXIT: how `image build` ends (5: the build failed).
  image) exit "${FAKE_IMAGE_EXIT:-0}" ;;
  # FAKE_TRIALS, when set, is the whole answer (a test's own trials).
  trials) if [ -n "${FAKE_TRIALS:-}" ]; then echo "$FAKE_TRIALS"; exit 0; fi
          echo '{"schema":"autotune.trials/1","trials":[{"number":1,"state":"completed","value":0.7,"epochs":1,"values":{"LearningRate":0.001,"BatchSize":64}},{"number":2,"state":"pruned","value":0.4,"epochs":1,"values":{"LearningRate":0.01,"BatchSize":32}}]}' ;;
  ask) end="${FAKE_ASK_END:-target-reached}"
       if [ -e "$FAKE_ARGS.asked" ]; then printf '{"schema":"autotune.ask/1","status":"%s","outstanding":0,"trials":[]}\\n' "$end"; [ "$end" = target-reached ] || exit 3
       else touch "$FAKE_ARGS.asked"; echo '{"schema":"autotune.ask/1","status":"proposed","outstanding":0,"trials":[{"number":1,"values":"BatchSize=64,LearningRate=0.001","parameters":{"BatchSize":64,"LearningRate":0.001},"seed":0,"epochs":null},{"number":2,"values":"BatchSize=32,LearningRate=0.01","parameters":{"BatchSize":32,"LearningRate":0.01},"seed":0,"epochs":2}]}'; fi ;;
  report) while [ $# -gt 0 ]; do if [ "$1" = --out ]; then mkdir -p "$2"; echo '<html></html>' > "$2/report.html"; echo '{}' > "$2/report.json"; fi; shift; done ;;
  # As the real tool: train refuses a folder that holds anything; tell needs the result.json that train wrote.
  # FAKE_STATE_<n> (completed, pruned, failed) is what trial n's result.json says; FAKE_NO_RESULT_<n> writes none.
  train) dir= n=
         while [ $# -gt 0 ]; do case "$1" in --trial-dir) dir="$2" ;; --trial-number) n="$2" ;; esac; shift; done
         if [ -n "$dir" ]; then
           if [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then echo "--trial-dir $dir is the folder of another trial" >&2; exit 2; fi
           mkdir -p "$dir"; state="FAKE_STATE_$n"; none="FAKE_NO_RESULT_$n"
           [ -n "${!none:-}" ] || printf '{"state":"%s"}\\n' "${!state:-completed}" > "$dir/result.json"
           [ "${!state:-}" = failed ] && exit 4
         fi ;;
  tell) while [ $# -gt 0 ]; do if [ "$1" = --from ] && [ ! -e "$2/result.json" ]; then echo "no result.json in $2" >&2; exit 2; fi; shift; done ;;
esac
exit "${FAKE_EXIT:-0}"
'''

    // Fails as `dotnet tool update` (and `install`) of SDK 10.0.401 fails for a package or version its sources lack:
    // one line on stderr naming the version, the lower-cased id and the sources tried (configured ones first), exit 1.
    static final String FAKE_DOTNET_MISSING_PACKAGE = '''#!/bin/bash
echo "$*" >> "$FAKE_ARGS.dotnet"
[ "$1" = tool ] || exit 0
version= id= sources=https://api.nuget.org/v3/index.json
shift 2
while [ $# -gt 0 ]; do
  case "$1" in --version) version="$2"; shift ;; --add-source) sources="$sources;$2"; shift ;; --tool-path) shift ;; -*) ;; *) id="$1" ;; esac
  shift
done
echo "Version $version of package ${id,,} is not found in NuGet feeds $sources." >&2
exit 1
'''

    // The agent's `docker`: logs its arguments and DOCKER_HOST, and answers `docker info` with FAKE_DOCKER_EXIT (default 1:
    // no engine, so a test sees a Docker engine only when it says so, whatever the machine running the tests has).
    static final String FAKE_DOCKER = '''#!/bin/bash
echo "$* DOCKER_HOST=${DOCKER_HOST:-}" >> "$FAKE_ARGS.docker"
exit "${FAKE_DOCKER_EXIT:-1}"
'''

    @Before
    void makeHarness() {
        workspace = File.createTempDir('autotune-ws', '')
        File tool = new File(workspace, 'fake-autotune')
        installFake(tool, FAKE_TOOL)
        installFake(new File(workspace, 'fake-bin/autotune'), FAKE_TOOL)
        argsLog = new File(workspace, 'args.log')
        h = new PipelineHarness(ROOT, workspace)
        h.env.AUTOTUNE = tool.absolutePath
        h.env.FAKE_ARGS = argsLog.absolutePath
        File docker = new File(workspace, 'fake-docker/docker')
        installFake(docker, FAKE_DOCKER)
        h.env.PATH = "${docker.parent}:${System.getenv('PATH')}".toString()
    }

    @After
    void removeWorkspace() { workspace?.deleteDir() }

    /** Writes an executable fake command. */
    static void installFake(File at, String text) {
        at.parentFile.mkdirs()
        at.text = text
        at.setExecutable(true)
    }

    /** Puts FAKE_DOTNET_MISSING_PACKAGE first on the PATH of every sh, as the agent's `dotnet`. */
    void fakeDotnetWithoutThePackage() {
        File dotnet = new File(workspace, 'fake-dotnet/dotnet')
        installFake(dotnet, FAKE_DOTNET_MISSING_PACKAGE)
        h.env.PATH = "${dotnet.parent}:${h.env.PATH}".toString()
    }

    /** The arguments the fake tool received, one per element. */
    List<String> toolArgs() { argsLog.readLines() }

    /** The arguments of the last call of a tool command (train, tell, ...), or null when it was not called. */
    List<String> lastArgs(String command) { File f = new File("${argsLog.path}.${command}"); f.exists() ? f.readLines() : null }

    /** The agent's `docker` calls, one line each ending in DOCKER_HOST=..., or [] when docker was never called. */
    List<String> dockerCalls() { File f = new File("${argsLog.path}.docker"); f.exists() ? f.readLines() : [] }

    /** The arguments of the last `apply` call, or null when apply was not called. */
    List<String> applyArgs() { File f = new File(argsLog.path + '.apply'); f.exists() ? f.readLines() : null }

    /** Calls a step and returns the message it failed with, or fails the test. */
    String failureOf(String step, Map config) {
        try {
            h.step(step, config)
        } catch (PipelineError e) {
            return e.message
        }
        fail("${step} did not fail")
        null
    }

    void assertRequired(String step, Map config, String message) {
        assertEquals(message, failureOf(step, config))
        assertTrue("${step} ran a command before checking its options", h.shCalls.isEmpty())
    }
}
