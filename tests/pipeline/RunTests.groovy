import org.junit.runner.JUnitCore
import org.junit.runner.Request
import org.junit.runner.notification.Failure

// Runs the JUnit classes named on the command line; the last line is "N passed, N failed".
int passed = 0, failed = 0
args.each { String name ->
    def result = new JUnitCore().run(Request.aClass(Class.forName(name)))
    result.failures.each { Failure f ->
        println "FAIL ${f.testHeader}: ${f.message}"
        if (!(f.exception instanceof AssertionError)) println f.trace.readLines().take(12).join('\n')
    }
    int ok = result.runCount - result.failureCount
    println "${name}: ${ok} passed, ${result.failureCount} failed (${result.runTime / 1000} s)"
    passed += ok
    failed += result.failureCount
}
new File(System.getProperty('counts.file')).text = "${passed} ${failed}\n"
