package kiosk.telemetry.sdk;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** How the SDK reaches the backend: one HTTP request, one reply, or an {@link IOException} when none came. */
public interface Transport {

    /** @param path the request path, for example {@code /api/events/batch} */
    Reply send(String method, String path, String bearerToken, byte[] jsonBody) throws IOException;

    /** What came back. {@code retryAfter} is the server's {@code Retry-After}, when it sent one. */
    record Reply(int status, byte[] body, Optional<Duration> retryAfter) {
    }
}
