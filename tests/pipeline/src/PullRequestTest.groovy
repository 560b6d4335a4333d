import com.sun.net.httpserver.HttpServer
import groovy.json.JsonSlurper
import org.junit.After
import org.junit.Before
import org.junit.Test

import static org.junit.Assert.*

/**
 * autotunePipeline's pull request: the resource script really runs (bash, curl) against a fake
 * GitHub API, served by the JDK on loopback, which records each request and answers as told.
 */
class PullRequestTest extends HarnessTestBase {
    static final String TOKEN = 'ghp_canary_7f3a9c'
    Map config = [model: 'm', target: 'accuracy>=0.9', toolPath: 'fake-bin', study: 's',
                  applyBranch: 'autotune/best', pullRequest: true, githubCredentialsId: 'gh', repository: 'acme/models']
    HttpServer fakeGitHub
    List<Map> requests = []
    int answerCode = 201
    String answerBody = '{"html_url": "https://github.example/acme/models/pull/7"}'

    @Before
    void startFakeGitHub() {
        fakeGitHub = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        fakeGitHub.createContext('/') { exchange ->
            requests << [method: exchange.requestMethod, path: exchange.requestURI.path,
                         auth: exchange.requestHeaders.getFirst('Authorization'), body: exchange.requestBody.text]
            byte[] out = answerBody.getBytes('UTF-8')
            exchange.sendResponseHeaders(answerCode, out.length)
            exchange.responseBody.withStream { it.write(out) }
        }
        fakeGitHub.start()
        config.githubApi = "http://127.0.0.1:${fakeGitHub.address.port}".toString()
        h.credentials['gh'] = [secret: TOKEN]
        // The agent's git is not part of these tests: the commit-and-push script is recorded, not run.
        h.shHandler = { Map call -> call.script.contains('git checkout') ? 0 : h.runBash(call) }
    }

    @After
    void stopFakeGitHub() { fakeGitHub?.stop(0) }

    @Test
    void A_pull_request_is_opened_from_the_apply_branch_into_the_built_branch() {
        h.env.BRANCH_NAME = 'develop'
        h.step('autotunePipeline', config)
        assertEquals('SUCCESS', h.result)
        assertEquals(1, requests.size())
        assertEquals('POST', requests[0].method)
        assertEquals('/repos/acme/models/pulls', requests[0].path)
        Map body = new JsonSlurper().parseText(requests[0].body as String) as Map
        assertEquals('autotune/best', body.head)
        assertEquals('develop', body.base)
        assertEquals('autotune: best values for accuracy>=0.9', body.title)
        assertTrue(h.log.any { it.contains('opened pull request https://github.example/acme/models/pull/7') })
    }

    @Test
    void The_token_travels_only_in_the_authorization_header() {
        h.step('autotunePipeline', config)
        assertEquals("Bearer ${TOKEN}".toString(), requests[0].auth)
        assertFalse(h.shCalls.any { (it.script as String).contains(TOKEN) })
        assertFalse(h.log.any { it.contains(TOKEN) })
        assertFalse(requests[0].body.contains(TOKEN))
    }

    @Test
    void An_already_open_pull_request_is_not_an_error() {
        answerCode = 422
        answerBody = '{"message": "Validation Failed", "errors": [{"message": "A pull request already exists for acme:autotune/best."}]}'
        h.step('autotunePipeline', config)
        assertEquals('SUCCESS', h.result)
        assertTrue(h.log.any { it.contains('already open') })
    }

    @Test
    void A_refused_pull_request_fails_the_build_with_the_status_and_message() {
        answerCode = 401
        answerBody = '{"message": "Bad credentials"}'
        h.step('autotunePipeline', config)
        assertEquals('FAILURE', h.result)
        assertTrue(h.log.any { it.contains('HTTP 401') && it.contains('Bad credentials') })
    }

    @Test
    void The_repository_is_read_from_the_origin_remote_when_not_given() {
        ['git init -q', 'git remote add origin git@github.com:acme/vision.git'].each {
            assertEquals(0, new ProcessBuilder('bash', '-c', it).directory(workspace).start().waitFor())
        }
        h.step('autotunePipeline', config + [repository: ''])
        assertEquals('/repos/acme/vision/pulls', requests[0].path)
    }

    @Test
    void Hostile_values_reach_the_request_body_intact() {
        String target = 'accuracy>=0.9"; echo `id` $(id) \'x'
        h.step('autotunePipeline', config + [target: target])
        Map body = new JsonSlurper().parseText(requests[0].body as String) as Map
        assertEquals("autotune: best values for ${target}".toString(), body.title)
    }

    @Test
    void No_pull_request_without_the_option() {
        h.step('autotunePipeline', config + [pullRequest: false])
        assertTrue(requests.isEmpty())
    }
}
