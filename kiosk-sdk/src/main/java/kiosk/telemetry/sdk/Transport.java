package kiosk.telemetry.sdk;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How the SDK reaches the backend: one HTTP request, one reply, or an {@link IOException} when none came. */
public interface Transport {

    /** @param path the request path, for example {@code /api/events/batch} */
    Reply send(String method, String path, String bearerToken, byte[] jsonBody) throws IOException;

    /**
     * What came back. {@code retryAfter} is the server's {@code Retry-After}, when it sent one; {@code date} its
     * {@code Date} header (the server's clock, whole seconds), from which the SDK estimates the clock offset.
     */
    record Reply(int status, byte[] body, Optional<Duration> retryAfter, Optional<Instant> date) {

        public Reply(int status, byte[] body, Optional<Duration> retryAfter) {
            this(status, body, retryAfter, Optional.empty());
        }
    }
}
