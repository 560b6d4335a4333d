#!/usr/bin/env bash
# Runs the Jenkins shared library's checks: groovyc over vars/ and both Jenkinsfiles, the README
# check, and the JUnit suites on the pipeline harness. The last line is "N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tests/pipeline"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
source "$here/java-home.sh"
cp_="/usr/share/java/groovy-all.jar:/usr/share/java/junit4.jar:/usr/share/java/hamcrest-core.jar"
passed=0 failed=0

check() { # name, command...
    local name="$1"; shift
    if "$@" > "$build/check.log" 2>&1; then passed=$((passed + 1)); echo "ok   $name"
    else failed=$((failed + 1)); echo "FAIL $name"; tail -20 "$build/check.log"; fi
}

# groovyc wants .groovy names; the Jenkinsfiles are copied under names that say where they came from.
mkdir -p "$build/jenkinsfiles" "$build/vars" "$build/classes" "$build/stubs"
groovyc -d "$build/stubs" "$here/stubs/Library.groovy"
cp "$root/Jenkinsfile" "$build/jenkinsfiles/RootJenkinsfile.groovy"
cp "$root/samples/Jenkinsfile" "$build/jenkinsfiles/SampleJenkinsfile.groovy"
cp "$root/samples/Jenkinsfile.monitor" "$build/jenkinsfiles/SampleMonitorJenkinsfile.groovy"
# One groovyc per group: each start of the compiler costs seconds on two cores; errors still name file and line.
check "groovyc compiles vars/*.groovy" groovyc -d "$build/vars" "$root"/vars/*.groovy
check "groovyc compiles Jenkinsfile, samples/Jenkinsfile and samples/Jenkinsfile.monitor" groovyc -cp "$build/stubs" -d "$build/vars" "$build"/jenkinsfiles/*.groovy
check "vars/README.md is generated from vars/*.txt" "$here/gen-vars-readme.sh" --check

if groovyc -cp "$cp_" -d "$build/classes" "$here"/src/*.groovy > "$build/compile.log" 2>&1; then
    suites="RequiredOptionsTest CommandLineTest ExitCodeTest PipelineTest ContainerRunnerTest MonitorPipelineTest PullRequestTest ParallelPipelineTest RootJenkinsfileTest"
    if [ "${AUTOTUNE_E2E:-1}" != 0 ]; then
        suites="$suites EndToEndTest MonitorEndToEndTest"
        # The end-to-end test installs the tool the way a Jenkins agent would: packed, from a local feed.
        if [ -z "${AUTOTUNE_E2E_FEED:-}" ]; then
            export AUTOTUNE_E2E_FEED="$build/feed"
            dotnet pack "$root/tool/Autotune" -o "$AUTOTUNE_E2E_FEED" > "$build/pack.log" 2>&1 || { cat "$build/pack.log"; }
        fi
    fi
    java -Dautotune.root="$root" -Dcounts.file="$build/counts" -cp "$cp_:$build/classes" \
        groovy.ui.GroovyMain "$here/RunTests.groovy" $suites
    if [ -s "$build/counts" ]; then
        read -r p f < "$build/counts"; passed=$((passed + p)); failed=$((failed + f))
    else
        failed=$((failed + 1)); echo "FAIL the JUnit runner wrote no counts"
    fi
else
    failed=$((failed + 1)); echo "FAIL compiling the harness and tests"; cat "$build/compile.log"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
