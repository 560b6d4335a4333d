import org.junit.Before
import org.junit.Test

import static org.junit.Assert.*

/** This repository's own Jenkinsfile: Pack publishes to NUGET_SOURCE, with the API key only through withCredentials. */
class RootJenkinsfileTest extends HarnessTestBase {
    // Every sh is recorded and succeeds: the build itself is build.cake's, tested where it runs.
    @Before
    void recordOnly() { h.shHandler = { Map call -> 0 } }

    Map pack() { h.shCalls.find { it.script == 'dotnet cake --target=Pack' } }

    void run() { h.runJenkinsfile(new File(ROOT, 'Jenkinsfile').text) }

    @Test
    void Without_a_feed_Pack_runs_with_no_source_and_no_key() {
        run()
        assertEquals(h.log.join('\n'), 'SUCCESS', h.result)
        assertEquals('', pack().env.NUGET_SOURCE)
        assertFalse(pack().env.containsKey('NUGET_API_KEY'))
    }

    @Test
    void A_feed_and_a_credential_reach_Pack_as_NUGET_SOURCE_and_NUGET_API_KEY() {
        h.params.NUGET_SOURCE = 'https://nuget.example.com/v3/index.json'
        h.params.NUGET_CREDENTIALS_ID = 'nuget-key'
        h.credentials['nuget-key'] = [secret: 's3cret']
        run()
        assertEquals('SUCCESS', h.result)
        assertEquals('https://nuget.example.com/v3/index.json', pack().env.NUGET_SOURCE)
        assertEquals('s3cret', pack().env.NUGET_API_KEY)
        assertFalse('the key is never command text', h.shCalls.any { (it.script as String).contains('s3cret') })
    }

    @Test
    void A_folder_feed_without_a_credential_pushes_with_no_key() {
        h.params.NUGET_SOURCE = '/srv/nuget-local'
        run()
        assertEquals('SUCCESS', h.result)
        assertEquals('/srv/nuget-local', pack().env.NUGET_SOURCE)
        assertFalse(pack().env.containsKey('NUGET_API_KEY'))
    }

    @Test
    void A_credential_id_Jenkins_does_not_have_fails_the_Pack_stage() {
        h.params.NUGET_SOURCE = 'https://nuget.example.com/v3/index.json'
        h.params.NUGET_CREDENTIALS_ID = 'missing'
        run()
        assertEquals('FAILURE', h.result)
        assertEquals('FAILURE', h.stageResults['Pack'])
        assertNull(pack())
    }
}
