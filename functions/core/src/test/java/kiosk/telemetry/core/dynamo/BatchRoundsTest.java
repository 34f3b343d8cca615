package kiosk.telemetry.core.dynamo;

import kiosk.telemetry.core.error.StorageFaults;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A batch call still throttled after its last round fails as throttling, which every route answers as temporary (503). */
class BatchRoundsTest {

    @Test
    void afterTheLastRound_theFailureIsATemporaryThrottle() {
        assertDoesNotThrow(() -> BatchRounds.await(0, "batch read of t"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> BatchRounds.await(BatchRounds.MAX, "batch read of t"));
        assertTrue(e.getMessage().contains("batch read of t kept being throttled"), e.getMessage());
        assertTrue(StorageFaults.isTemporary(e), "answered 503, not 500");
    }
}
