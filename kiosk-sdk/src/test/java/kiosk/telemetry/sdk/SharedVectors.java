package kiosk.telemetry.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The vectors both SDKs test against, from {@code sdk-test-vectors/} (written by its {@code generate.py}). */
final class SharedVectors {

    private SharedVectors() {
    }

    static JsonNode read(String name) {
        // surefire runs in the module's directory; the vectors sit beside the two SDK modules
        Path file = Path.of("..", "sdk-test-vectors", name);
        try {
            return new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
