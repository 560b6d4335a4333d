// Installs a pinned version of the autotune tool into a tool path; returns the command's path and sets env.AUTOTUNE.
def call(Map config = [:]) {
    Map settings = readJSON(text: libraryResource('autotune/settings.json'))
    Map defaults = [
        version: settings.toolVersion,     // the tool version, pinned so every build runs the same tool
        packageId: settings.packageId,     // the NuGet package that holds the tool
        toolPath: settings.toolPath,       // install folder: relative to the workspace, or an absolute cache folder
        source: '',                        // a NuGet feed (folder or URL) that has the package, besides the agent's sources
        setEnv: true,                      // set env.AUTOTUNE; false in a parallel branch, which passes the returned path through withEnv
    ]
    Map o = defaults + config
    if (!o.version) { error "autotuneSetup: 'version' is required (the tool version to install)" }
    if (!o.toolPath) { error "autotuneSetup: 'toolPath' is required (the folder to install the tool into)" }
    // The script's exit code when the sources have no such package or version: dotnet itself exits 1 for every failure.
    int notFound = 66
    int status
    withEnv(["AT_VERSION=${o.version}", "AT_PACKAGE=${o.packageId}", "AT_TOOL_PATH=${o.toolPath}", "AT_SOURCE=${o.source}",
             "AT_NOT_FOUND=${notFound}"]) {
        // Idempotent: an installed tool of the pinned version is kept as it is. dotnet's own words go to the log as they
        // are; a missing package (SDK 8+: "... is not found in NuGet feeds ...", older: NU1101/NU1102) exits AT_NOT_FOUND.
        status = sh(returnStatus: true, script: '''
            if [ -x "$AT_TOOL_PATH/autotune" ] && [ "$("$AT_TOOL_PATH/autotune" --version | cut -d+ -f1)" = "$AT_VERSION" ]; then
                echo "autotune $AT_VERSION is already in $AT_TOOL_PATH"
            else
                rc=0
                out="$(dotnet tool update --tool-path "$AT_TOOL_PATH" --version "$AT_VERSION" ${AT_SOURCE:+--add-source "$AT_SOURCE"} "$AT_PACKAGE" 2>&1)" || rc=$?
                printf '%s\\n' "$out"
                if [ "$rc" -ne 0 ]; then
                    case "$out" in *"is not found in NuGet feeds"*|*NU1101*|*NU1102*) exit "$AT_NOT_FOUND" ;; esac
                    exit "$rc"
                fi
            fi
        ''')
    }
    if (status == notFound) {
        String where = o.source ? "${o.source} or the agent's NuGet sources" : "the agent's NuGet sources"
        error "autotuneSetup: ${o.packageId} ${o.version} was not found on ${where}: publish it once with `dotnet cake --target=Pack` and NUGET_SOURCE=<your feed> (see docs/jenkins.md), or pass source: a folder or feed that has it"
    }
    if (status != 0) { error "autotuneSetup: could not install ${o.packageId} ${o.version} into ${o.toolPath} (exit ${status})" }
    String tool = o.toolPath.startsWith('/') ? "${o.toolPath}/autotune" : "${env.WORKSPACE}/${o.toolPath}/autotune"
    if (o.setEnv) { env.AUTOTUNE = tool }
    return tool
}
