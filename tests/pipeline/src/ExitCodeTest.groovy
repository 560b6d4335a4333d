import org.junit.Test

import static org.junit.Assert.*

class ExitCodeTest extends HarnessTestBase {
    String resultOfTuneExiting(int code) {
        h.env.FAKE_EXIT = code.toString()
        try {
            h.step('autotuneTune', [model: 'm', target: 'accuracy>=0.9'])
        } catch (PipelineError e) {
            h.worsen('FAILURE')
            h.log << e.message
        }
        h.result
    }

    @Test void Exit_0_is_success() { assertEquals('SUCCESS', resultOfTuneExiting(0)) }
    @Test void Exit_3_target_not_reached_is_unstable() {
        assertEquals('UNSTABLE', resultOfTuneExiting(3))
        assertTrue(h.log.contains('UNSTABLE: autotuneTune: target not reached within the budget (exit 3)'))
    }
    @Test void Exit_2_invalid_input_is_failure() {
        assertEquals('FAILURE', resultOfTuneExiting(2))
        assertTrue(h.log.contains('autotuneTune: invalid input (exit 2)'))
    }
    @Test void Exit_4_model_failed_is_failure() { assertEquals('FAILURE', resultOfTuneExiting(4)) }
    @Test void Exit_5_infrastructure_is_failure() { assertEquals('FAILURE', resultOfTuneExiting(5)) }
    @Test void Exit_130_cancelled_is_failure_that_says_it_was_cancelled() {
        assertEquals('FAILURE', resultOfTuneExiting(130))
        assertTrue(h.log.contains('autotuneTune: cancelled by SIGINT or SIGTERM (the same command resumes) (exit 130)'))
    }
    @Test void An_unknown_exit_code_is_failure() { assertEquals('FAILURE', resultOfTuneExiting(139)) }
    @Test void Exit_3_from_train_is_unstable_too() {
        h.env.FAKE_EXIT = '3'
        assertEquals('UNSTABLE', h.step('autotuneTrain', [model: 'm']))
    }
}
