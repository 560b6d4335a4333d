// Installs a pinned version of the autotune tool into a tool path; returns the command's path and sets env.AUTOTUNE.
def call(Map config = [:]) {
    Map settings = readJSON(text: libraryResource('autotune/settings.json'))
    Map defaults = [
        version: settings.toolVersion,     // the tool version, pinned so every build runs the same tool
        packageId: settings.packageId,     // the NuGet package that holds the tool
        toolPath: settings.toolPath,       // install folder: relative to the workspace, or an absolute cache folder
        source: '',                        // a local NuGet feed folder to install from, besides the configured sources
    ]
    Map o = defaults + config
    if (!o.version) { error "autotuneSetup: 'version' is required (the tool version to install)" }
    if (!o.toolPath) { error "autotuneSetup: 'toolPath' is required (the folder to install the tool into)" }
    int status
    withEnv(["AT_VERSION=${o.version}", "AT_PACKAGE=${o.packageId}", "AT_TOOL_PATH=${o.toolPath}", "AT_SOURCE=${o.source}"]) {
        // Idempotent: an installed tool of the pinned version is kept as it is.
        status = sh(returnStatus: true, script: '''
            if [ -x "$AT_TOOL_PATH/autotune" ] && [ "$("$AT_TOOL_PATH/autotune" --version | cut -d+ -f1)" = "$AT_VERSION" ]; then
                echo "autotune $AT_VERSION is already in $AT_TOOL_PATH"
            else
                dotnet tool update --tool-path "$AT_TOOL_PATH" --version "$AT_VERSION" ${AT_SOURCE:+--add-source "$AT_SOURCE"} "$AT_PACKAGE"
            fi
        ''')
    }
    if (status != 0) { error "autotuneSetup: could not install ${o.packageId} ${o.version} into ${o.toolPath} (exit ${status})" }
    String tool = o.toolPath.startsWith('/') ? "${o.toolPath}/autotune" : "${env.WORKSPACE}/${o.toolPath}/autotune"
    env.AUTOTUNE = tool
    return tool
}
