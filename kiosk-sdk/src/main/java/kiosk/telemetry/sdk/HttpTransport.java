package kiosk.telemetry.sdk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** {@link Transport} over the JDK's HTTP client, with a connect and a per-request timeout. */
public final class HttpTransport implements Transport {

    private final URI baseUri;
    private final HttpClient client;
    private final Duration requestTimeout;

    public HttpTransport(URI baseUri, Duration connectTimeout, Duration requestTimeout) {
        this(baseUri, HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build(),
                requestTimeout);
    }

    /** Shares one client (and its connection pool) between the kiosks of one process, as the simulator does. */
    public HttpTransport(URI baseUri, HttpClient client, Duration requestTimeout) {
        String base = baseUri.toString();
        this.baseUri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Reply send(String method, String path, String bearerToken, byte[] jsonBody) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + path))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + bearerToken)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(jsonBody))
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").flatMap(HttpTransport::seconds),
                    response.headers().firstValue("Date").flatMap(HttpTransport::date));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending " + method + " " + path, e);
        }
    }

    private static Optional<Instant> date(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
