package kiosk.telemetry.core.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract's validation messages reach the native functions: a native image finds a resource bundle only when it
 * is registered, and Quarkus's validator extension does not register the application's {@code ValidationMessages}
 * (its check looks for a resource named like the bundle, without {@code .properties}), so core's jar registers it
 * itself in {@code META-INF/native-image}, which the native build reads from every jar. Without it the native
 * functions would answer "must not be null" where the JVM ones say "is required".
 */
class NativeBundlesTest {

    private static final String CONFIG = "META-INF/native-image/kiosk.telemetry/telemetry-core/resource-config.json";

    @Test
    void validationMessages_isRegisteredAsABundle_forTheNativeImage() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        try (InputStream config = loader.getResourceAsStream(CONFIG); InputStream messages = loader.getResourceAsStream("ValidationMessages.properties")) {
            assertNotNull(config, CONFIG);
            assertNotNull(messages, "ValidationMessages.properties");
            Set<String> bundles = new HashSet<>();
            for (JsonNode b : new ObjectMapper().readTree(config).path("bundles")) {
                bundles.add(b.path("name").asText());
            }
            assertTrue(bundles.contains("ValidationMessages"), "bundles registered for the native image: " + bundles);
            Properties p = new Properties();
            p.load(messages);
            assertEquals("is required", p.getProperty("jakarta.validation.constraints.NotNull.message"));
        }
    }
}
