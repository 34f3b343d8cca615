package kiosk.telemetry.core.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionStatusTest {

    @Test
    void transitionTable_matchesTheContract() {
        // rows: from; columns: to, in declaration order (started, in_progress, completed, abandoned, timeout, error)
        String[] expected = {
                "started     YYYYYY",
                "in_progress NYYYYY",
                "completed   NNYNNN",
                "abandoned   NNNYNN",
                "timeout     NNNNYN",
                "error       NNNNNY"};
        for (String row : expected) {
            SessionStatus from = SessionStatus.valueOf(row.substring(0, 12).trim());
            String marks = row.substring(12);
            for (SessionStatus to : SessionStatus.values()) {
                assertEquals(marks.charAt(to.ordinal()) == 'Y', from.mayBecome(to), from + " -> " + to);
            }
        }
    }
}
