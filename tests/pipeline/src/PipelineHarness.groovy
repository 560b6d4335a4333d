import groovy.json.JsonSlurper
import org.codehaus.groovy.runtime.InvokerHelper
import java.nio.file.FileSystems

/** A step failed the build: what `error` and a failing `sh` raise in Jenkins. */
class PipelineError extends RuntimeException {
    PipelineError(String message) { super(message) }
}

/**
 * A small stand-in for a Jenkins agent: loads vars/*.groovy, serves libraryResource from
 * resources/, records or really runs `sh` (bash), and interprets the declarative subset the
 * library uses. It cannot see CPS transformation or the script sandbox; steps stay thin for that.
 */
class PipelineHarness {
    final File root
    /** The controller's workspace: where the pipeline's own agent runs, and every `node` unless agentWorkspaces is set. */
    final File workspace
    /**
     * Fake agents, each by its workspace: with any here, the nth `node` call runs on agent n (round robin) in that
     * agent's folder, as a Jenkins agent has its own workspace: its `sh` runs there, env.WORKSPACE names it inside the
     * block, its file steps read and write there, and only stash/unstash carry files between it and the controller.
     * Empty: `node` runs in the controller's workspace.
     */
    final List<File> agentWorkspaces = []
    /** The workspaces of the `node` blocks running now, innermost last. */
    final List<File> workspaceStack = []
    private int nodeCalls = 0
    final Map<String, String> env = [:]
    final List<Map<String, String>> envStack = []
    final List<String> stages = []
    /**
     * Each stage's (and parallel branch's) result as the stage graph draws it: SUCCESS, UNSTABLE, FAILURE, or NOT_BUILT
     * when its `when` skipped it. A warning (`unstable`, `catchError`'s stageResult) or an error marks every stage it
     * happened inside, as Blue Ocean and the Pipeline Graph View colour a stage by the worst thing within it.
     */
    final Map<String, String> stageResults = [:]
    /** The stages (and branches) running now, innermost last. */
    final List<String> stageStack = []
    final List<Map> shCalls = []
    final List<String> archived = []
    final List<Map> published = []
    final List<String> triggers = []
    final List<String> log = []
    /** The labels `node` was called with: where a step asked to run. */
    final List<String> nodes = []
    final Map<String, Map> credentials = [:]
    /** The parameters the build was started with; a declarative `parameters` block fills in the defaults of the rest. */
    final Map<String, Object> params = [:]
    String result = 'SUCCESS'
    /** null: sh really runs bash; else a closure (Map call) returning the exit status, stdout in call.stdout. */
    Closure shHandler
    final Binding binding = new Binding()
    final GroovyShell shell

    PipelineHarness(File root, File workspace) {
        this.root = root
        this.workspace = workspace
        env.WORKSPACE = workspace.absolutePath
        shell = new GroovyShell(binding)
        bindSteps()
        new File(root, 'vars').listFiles().findAll { it.name.endsWith('.groovy') }.sort().each { File f ->
            Script s = InvokerHelper.createScript(compiled(f), binding)
            binding.setVariable(f.name - '.groovy', { Object... args -> s.invokeMethod('call', args) })
        }
    }

    // Compiling every var for every test would dominate the suite's time; a var's class is kept per JVM.
    private static final Map<String, Class> CLASSES = [:]

    private Class compiled(File f) {
        String key = "${f.canonicalPath}:${f.lastModified()}"
        if (!CLASSES.containsKey(key)) CLASSES[key] = new GroovyShell().parse(f).getClass()
        CLASSES[key]
    }

    /** Runs a Jenkinsfile's text as the pipeline script of a build. */
    void runJenkinsfile(String text) {
        Script s = shell.parse(text.replaceAll(/@Library\([^)]*\)\s*_/, ''))
        s.binding = binding
        s.run()
    }

    Object step(String name, Object... args) { binding.getVariable(name).call(*args) }

    /** The workspace of the innermost running `node` block, else the controller's. */
    File currentWorkspace() { workspaceStack ? workspaceStack[-1] : workspace }

    /** A file step's path as Jenkins takes it: an absolute one as it is, else in the current workspace. */
    File resolve(String path) { new File(path).isAbsolute() ? new File(path) : new File(currentWorkspace(), path) }

    /** The node step: records the label and, with agentWorkspaces, runs the body in the next agent's workspace. */
    Object onNode(String label, Closure body) {
        nodes << label
        if (agentWorkspaces.isEmpty()) return body.call()
        File ws = agentWorkspaces[nodeCalls++ % agentWorkspaces.size()]
        ws.mkdirs()
        workspaceStack << ws
        envStack << [WORKSPACE: ws.absolutePath]
        try {
            body.call()
        } finally {
            envStack.remove(envStack.size() - 1)
            workspaceStack.remove(workspaceStack.size() - 1)
        }
    }

    String envValue(String name) {
        for (Map<String, String> m in envStack.reverse()) { if (m.containsKey(name)) return m[name] }
        env.containsKey(name) ? env[name] : null
    }

    Map<String, String> effectiveEnv() {
        Map<String, String> all = [:]
        all.putAll(env)
        envStack.each { all.putAll(it) }
        all
    }

    static final List<String> RESULTS = ['SUCCESS', 'UNSTABLE', 'FAILURE']

    void worsen(String r) {
        if (RESULTS.indexOf(r) > RESULTS.indexOf(result)) result = r
    }

    /** Marks the running stages no better than r; outside any stage (a post section) there is nothing to mark. */
    void worsenStages(String r) {
        stageStack.each { String n -> if (RESULTS.indexOf(r) > RESULTS.indexOf(stageResults[n] ?: 'SUCCESS')) stageResults[n] = r }
    }

    /** Runs a stage's (or branch's) body with its name on the stack; an error leaving it marks it FAILURE, as in Jenkins. */
    Object inStage(String name, Closure body) {
        stages << name
        if (!stageResults.containsKey(name)) stageResults[name] = 'SUCCESS'
        stageStack << name
        try {
            body.call()
        } catch (PipelineError e) {
            worsenStages('FAILURE')
            throw e
        } finally {
            stageStack.remove(stageStack.size() - 1)
        }
    }

    /**
     * catchError as workflow-basic-steps has it: an error in the body is caught and logged (its message, or the given
     * one), the build result becomes no better than buildResult (default FAILURE; SUCCESS or null leave it) and the
     * running stage's no better than stageResult (default SUCCESS), and the pipeline goes on after the step.
     */
    Object catchError(Map a, Closure body) {
        try {
            body.call()
        } catch (PipelineError e) {
            log << (a.message ? a.message.toString() : "ERROR: ${e.message}".toString())
            String build = a.containsKey('buildResult') ? a.buildResult : 'FAILURE'
            if (build) worsen(build as String)
            worsenStages((a.stageResult ?: 'SUCCESS') as String)
            null
        }
    }

    Object withEnvEntries(List entries, Closure body) {
        Map<String, String> m = [:]
        entries.each { String e -> int i = e.indexOf('='); m[e.substring(0, i)] = e.substring(i + 1) }
        envStack << m
        try { body.call() } finally { envStack.remove(envStack.size() - 1) }
    }

    Object runSh(Object arg) {
        Map call = arg instanceof Map ? new LinkedHashMap(arg) : [script: arg.toString()]
        call.env = effectiveEnv()
        call.dir = currentWorkspace().absolutePath
        shCalls << call
        int status
        String stdout = ''
        if (shHandler != null) {
            status = shHandler.call(call) as int
            stdout = call.stdout ?: ''
        } else {
            status = runBash(call)
            stdout = call.stdout
        }
        call.status = status
        if (call.returnStatus) return status
        if (status != 0) throw new PipelineError("script returned exit code ${status}")
        call.returnStdout ? stdout : null
    }

    /** Really runs a recorded sh call with bash in its node's workspace; its output goes to call.stdout and the log. */
    int runBash(Map call) {
        ProcessBuilder pb = new ProcessBuilder('bash', '-eu', '-c', call.script as String).directory(new File(call.dir as String))
        pb.environment().putAll(call.env as Map<String, String>)
        pb.redirectErrorStream(true)
        Process p = pb.start()
        call.stdout = p.inputStream.text
        int status = p.waitFor()
        log << (call.stdout as String)
        if (System.getenv('HARNESS_VERBOSE')) print call.stdout
        status
    }

    private void bindSteps() {
        PipelineHarness h = this
        binding.setVariable('env', new EnvView(h))
        binding.setVariable('currentBuild', new CurrentBuild(h))
        binding.setVariable('scm', [type: 'test-scm'])
        binding.setVariable('params', h.params)
        binding.setVariable('sh', { Object a -> h.runSh(a) })
        binding.setVariable('echo', { Object m -> h.log << m.toString() })
        binding.setVariable('error', { Object m -> throw new PipelineError(m.toString()) })
        // unstable marks the build and the stage it runs in UNSTABLE (a WarningAction on the stage, as Jenkins does).
        binding.setVariable('unstable', { Object m -> h.log << "UNSTABLE: ${m}".toString(); h.worsen('UNSTABLE'); h.worsenStages('UNSTABLE') })
        binding.setVariable('catchError', { Object... args ->
            args.length == 1 ? h.catchError([:], args[0] as Closure) : h.catchError(args[0] as Map, args[1] as Closure)
        })
        binding.setVariable('withEnv', { List e, Closure b -> h.withEnvEntries(e, b) })
        binding.setVariable('isUnix', { -> true })
        binding.setVariable('script', { Closure c -> c.call() })
        binding.setVariable('checkout', { Object s -> h.log << 'checkout'; null })
        binding.setVariable('libraryResource', { String p -> new File(h.root, "resources/${p}").getText('UTF-8') })
        binding.setVariable('readJSON', { Map a ->
            String text = a.text != null ? a.text : h.resolve(a.file as String).getText('UTF-8')
            new JsonSlurper().parseText(text)
        })
        binding.setVariable('readFile', { Object a -> h.resolve((a instanceof Map ? a.file : a) as String).getText('UTF-8') })
        binding.setVariable('writeFile', { Map a -> File f = h.resolve(a.file as String); f.parentFile.mkdirs(); f.text = a.text })
        binding.setVariable('fileExists', { String p -> h.resolve(p).exists() })
        binding.setVariable('archiveArtifacts', { Object a -> h.archive(a instanceof Map ? a : [artifacts: a]) })
        binding.setVariable('publishHTML', { Map a -> h.published << a })
        binding.setVariable('stash', { Map a -> h.stash(a) })
        binding.setVariable('unstash', { String n -> h.unstash(n) })
        binding.setVariable('usernamePassword', { Map a -> [kind: 'usernamePassword'] + a })
        binding.setVariable('string', { Map a -> [kind: 'string'] + a })
        binding.setVariable('withCredentials', { List bs, Closure b ->
            List entries = []
            bs.each { Map c ->
                Map secret = h.credentials[c.credentialsId as String]
                if (secret == null) throw new PipelineError("ERROR: Could not find credentials entry with ID '${c.credentialsId}'")
                if (c.kind == 'usernamePassword') {
                    entries << "${c.usernameVariable}=${secret.username}".toString()
                    entries << "${c.passwordVariable}=${secret.password}".toString()
                } else {
                    entries << "${c.variable}=${secret.secret}".toString()
                }
            }
            h.withEnvEntries(entries, b)
        })
        binding.setVariable('pipeline', { Closure c -> new Declarative(h).pipeline(c) })
        binding.setVariable('stage', { String n, Closure c -> h.inStage(n, c) })
        binding.setVariable('node', { Object label, Closure c -> h.onNode(label as String, c) })
        // Branches run one after another here; each is recorded as a stage, as Blue Ocean draws it.
        // A failing branch fails the parallel step after the others ran, as Jenkins does without failFast.
        binding.setVariable('parallel', { Map branches ->
            PipelineError failed = null
            branches.each { k, v ->
                if (k == 'failFast') return
                try { h.inStage(k as String, v as Closure) } catch (PipelineError e) { if (failed == null) failed = e }
            }
            if (failed != null) throw failed
        })
    }

    /** What each stash saved (relative path -> content), so unstash brings back only what was stashed. */
    final Map<String, Map<String, byte[]>> stashes = [:]

    /** Saves the files matching includes (and not excludes), Ant-style globs separated by commas, as Jenkins' stash does. */
    void stash(Map a) {
        File workspace = currentWorkspace()
        List includes = ((a.includes ?: '**') as String).split(',')*.trim()
        List excludes = a.excludes ? (a.excludes as String).split(',')*.trim() : []
        Closure matches = { List globs, String rel -> globs.any { FileSystems.default.getPathMatcher("glob:${it}").matches(FileSystems.default.getPath(rel)) } }
        Map<String, byte[]> files = [:]
        // Walk only below each pattern's fixed folder: the end-to-end workspace is the whole repository.
        includes.collect { String g -> new File(workspace, g.split('/').takeWhile { !(it =~ /[*?\[{]/) }.join('/')) }.unique().each { File base ->
            if (!base.exists()) return
            (base.isFile() ? [base] : collectFiles(base)).each { File f ->
                String rel = workspace.toPath().relativize(f.toPath()).toString()
                if (matches(includes, rel) && !matches(excludes, rel)) files[rel] = f.bytes
            }
        }
        if (files.isEmpty() && !a.allowEmpty) throw new PipelineError("No files included in stash '${a.name}'")
        stashes[a.name as String] = files
    }

    private static List<File> collectFiles(File folder) {
        List<File> found = []
        folder.eachFileRecurse(groovy.io.FileType.FILES) { found << it }
        found
    }

    /** Writes a stash's files back over the workspace; files it does not hold are left as they are, as in Jenkins. */
    void unstash(String name) {
        Map<String, byte[]> files = stashes[name]
        if (files == null) throw new PipelineError("No such saved stash '${name}'")
        File workspace = currentWorkspace()
        files.each { String rel, byte[] bytes -> File f = new File(workspace, rel); f.parentFile.mkdirs(); f.bytes = bytes }
    }

    void archive(Map a) {
        File workspace = currentWorkspace()
        String pattern = a.artifacts as String
        List matchers = pattern.split(',').collect { FileSystems.default.getPathMatcher("glob:${it.trim()}") }
        List<String> found = []
        workspace.eachFileRecurse { File f ->
            String rel = workspace.toPath().relativize(f.toPath()).toString()
            if (f.isFile() && matchers.any { it.matches(f.toPath().fileSystem.getPath(rel)) }) found << rel
        }
        if (found.isEmpty() && !a.allowEmptyArchive) throw new PipelineError("No artifacts found that match the file pattern \"${pattern}\"")
        archived.addAll(found.sort())
    }
}

class EnvView {
    private final PipelineHarness h
    EnvView(PipelineHarness h) { this.h = h }
    Object getProperty(String name) { h.envValue(name) }
    void setProperty(String name, Object value) { h.env[name] = value?.toString() }
}

class CurrentBuild {
    private final PipelineHarness h
    CurrentBuild(PipelineHarness h) { this.h = h }
    String getResult() { h.result }
    void setResult(String r) { h.worsen(r) }
    String getCurrentResult() { h.result }
}

/** The declarative subset: pipeline, agent, triggers, options, environment, stages, stage, when, steps, post, parallel. */
class Declarative {
    final PipelineHarness h
    Declarative(PipelineHarness h) { this.h = h }

    static Object with(Object delegate, Closure c) {
        Closure d = c.rehydrate(delegate, c.owner, c.thisObject)
        d.resolveStrategy = Closure.DELEGATE_FIRST
        d.call()
    }

    void pipeline(Closure c) {
        PipelineBlock p = new PipelineBlock()
        with(p, c)
        // As Jenkins: a parameter the build was not given takes its default, and each is an environment variable too.
        p.parameters.each { String name, Object value ->
            if (!h.params.containsKey(name)) h.params[name] = value
            h.env[name] = h.params[name]?.toString()
        }
        if (p.environment) with(new EnvironmentBlock(h, h.env), p.environment)
        p.triggers.each { h.triggers << it }
        try {
            if (p.stages) runStages(p.stages)
        } finally {
            runPost(p.post)
        }
    }

    void runStages(Closure c) {
        StagesBlock s = new StagesBlock(h)
        with(s, c)
        s.collecting = false
        for (Map st in s.stages) {
            if (h.result == 'FAILURE') break
            runStage(st.name as String, st.body as Closure)
        }
    }

    void runStage(String name, Closure body) {
        StageBlock b = new StageBlock()
        try {
            h.inStage(name) {
                with(b, body)
                if (b.when && !b.when.passes(h)) {
                    h.log << "Stage \"${name}\" skipped due to when conditional".toString()
                    h.stageResults[name] = 'NOT_BUILT'
                    return
                }
                Map<String, String> stageEnv = [:]
                if (b.environment) with(new EnvironmentBlock(h, stageEnv), b.environment)
                h.envStack << stageEnv
                try {
                    if (b.steps) b.steps.call()
                    if (b.parallel) { StagesBlock s = new StagesBlock(h); with(s, b.parallel); s.collecting = false; s.stages.each { runStage(it.name as String, it.body as Closure) } }
                    if (b.stages) runStages(b.stages)
                } finally {
                    h.envStack.remove(h.envStack.size() - 1)
                }
            }
        } catch (PipelineError e) {
            h.log << "ERROR in stage ${name}: ${e.message}".toString()
            h.worsen('FAILURE')
        }
    }

    void runPost(Closure c) {
        if (c == null) return
        PostBlock p = new PostBlock()
        with(p, c)
        List<Closure> run = []
        if (p.conditions.always) run << p.conditions.always
        if (h.result == 'SUCCESS' && p.conditions.success) run << p.conditions.success
        if (h.result == 'UNSTABLE' && p.conditions.unstable) run << p.conditions.unstable
        if (h.result == 'FAILURE' && p.conditions.failure) run << p.conditions.failure
        if (p.conditions.cleanup) run << p.conditions.cleanup
        run.each { Closure b ->
            try { b.call() } catch (PipelineError e) { h.log << "ERROR in post: ${e.message}".toString(); h.worsen('FAILURE') }
        }
    }
}

class PipelineBlock {
    final Object any = 'any'
    final Object none = 'none'
    Closure environment, stages, post
    List<String> triggers = []
    /** Each declared parameter's default, by name. */
    Map<String, Object> parameters = [:]
    void agent(Object a) {}
    void options(Closure c) {}
    void parameters(Closure c) { Declarative.with(new ParametersBlock(parameters), c) }
    void tools(Closure c) {}
    void environment(Closure c) { environment = c }
    void stages(Closure c) { stages = c }
    void post(Closure c) { post = c }
    void triggers(Closure c) { Declarative.with(new TriggersBlock(triggers), c) }
}

class ParametersBlock {
    final Map<String, Object> found
    ParametersBlock(Map<String, Object> found) { this.found = found }
    void string(Map a) { found[a.name as String] = a.defaultValue ?: '' }
    void booleanParam(Map a) { found[a.name as String] = a.defaultValue ?: false }
}

class TriggersBlock {
    final List<String> found
    TriggersBlock(List<String> found) { this.found = found }
    void githubPush() { found << 'githubPush' }
    void pollSCM(String spec) { found << "pollSCM(${spec})".toString() }
    void cron(String spec) { found << "cron(${spec})".toString() }
}

class EnvironmentBlock {
    final PipelineHarness h
    final Map<String, String> target
    EnvironmentBlock(PipelineHarness h, Map<String, String> target) { this.h = h; this.target = target }
    Object propertyMissing(String name) { name == 'env' ? new EnvView(h) : h.envValue(name) }
    void propertyMissing(String name, Object value) { target[name] = value?.toString() }
    Object credentials(String id) { h.credentials[id]?.secret }
}

class StagesBlock {
    final PipelineHarness h
    final List<Map> stages = []
    /** After the block is read, a stage() that reaches here is a scripted stage inside a script block. */
    boolean collecting = true
    StagesBlock(PipelineHarness h) { this.h = h }
    void stage(String name, Closure body) {
        if (collecting) { stages << [name: name, body: body] } else { h.inStage(name, body) }
    }
}

class StageBlock {
    final Object any = 'any'
    Closure steps, environment, parallel, stages
    When when
    void agent(Object a) {}
    void options(Closure c) {}
    void steps(Closure c) { steps = c }
    void environment(Closure c) { environment = c }
    void parallel(Closure c) { parallel = c }
    void stages(Closure c) { stages = c }
    void post(Closure c) {}
    void when(Closure c) { when = new When(); Declarative.with(when, c) }
}

class When {
    final List<Closure> conditions = []
    void expression(Closure c) { conditions << { PipelineHarness h -> c.call() } }
    void environment(Map a) { conditions << { PipelineHarness h -> h.envValue(a.name as String) == a.value } }
    void branch(String b) { conditions << { PipelineHarness h -> h.envValue('BRANCH_NAME') == b } }
    boolean passes(PipelineHarness h) { conditions.every { Closure c -> c.call(h) } }
}

class PostBlock {
    final Map<String, Closure> conditions = [:]
    void always(Closure c) { conditions.always = c }
    void success(Closure c) { conditions.success = c }
    void unstable(Closure c) { conditions.unstable = c }
    void failure(Closure c) { conditions.failure = c }
    void cleanup(Closure c) { conditions.cleanup = c }
}
