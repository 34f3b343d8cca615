package kiosk.telemetry.core.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import kiosk.telemetry.core.config.TelemetryConfig;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Operator authentication. In {@code iam} mode (AWS) API Gateway has already checked SigV4 with IAM, and the
 * Lambda HTTP adapter hands the IAM principal to JAX-RS; in {@code token} mode (local stack, tests) the
 * caller shows the admin token. With no admin token configured, one is made at start and printed once.
 */
@Singleton
public class OperatorAuth {

    private static final Logger LOG = Logger.getLogger(OperatorAuth.class);

    private final TelemetryConfig.OperatorMode mode;
    private final String adminToken;

    public OperatorAuth(TelemetryConfig config) {
        this.mode = config.auth().operatorMode();
        String configured = config.auth().adminToken().filter(t -> !t.isBlank()).orElse(null);
        if (mode == TelemetryConfig.OperatorMode.token && configured == null) {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            configured = "adm." + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            LOG.warnf("No TELEMETRY_ADMIN_TOKEN set: generated operator token for this run: %s", configured);
        }
        this.adminToken = configured;
    }

    void onStart(@Observes StartupEvent e) {
        // forces creation at start, so a generated token is printed before the first request
    }

    public TelemetryConfig.OperatorMode mode() {
        return mode;
    }

    public boolean isAdminToken(String token) {
        return adminToken != null && token != null
                && MessageDigest.isEqual(adminToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
}
