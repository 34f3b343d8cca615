package kiosk.telemetry.sdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void waits_doubleUpToTheCap_withJitterInTheUpperHalf() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(1));
        long[] ceilings = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
        for (long ceiling : ceilings) {
            long wait = b.next(Duration.ZERO).toMillis();
            assertTrue(wait >= ceiling / 2 && wait <= ceiling, wait + " not in [" + ceiling / 2 + ", " + ceiling + "]");
        }
        b.reset();
        assertTrue(b.next(Duration.ZERO).toMillis() <= 1000, "a success starts over");
    }

    @Test
    void retryAfter_isAFloor() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(1));
        assertEquals(30_000, b.next(Duration.ofSeconds(30)).toMillis());
    }

    @Test
    void kiosksThatFailTogether_doNotRetryInStep() {
        SplittableRandom seeds = new SplittableRandom(3);
        java.util.Set<Long> waits = new java.util.HashSet<>();
        for (int kiosk = 0; kiosk < 100; kiosk++) {
            Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), seeds.split());
            for (int i = 0; i < 5; i++) {
                b.next(Duration.ZERO);
            }
            waits.add(b.next(Duration.ZERO).toMillis());
        }
        assertTrue(waits.size() > 90, "100 kiosks spread over the window: " + waits.size() + " distinct waits");
    }
}
