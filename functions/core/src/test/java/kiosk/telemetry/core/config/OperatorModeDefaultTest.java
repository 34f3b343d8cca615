package kiosk.telemetry.core.config;

import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With nothing configured, operator routes require API Gateway's IAM principal: a Lambda build fails closed. */
class OperatorModeDefaultTest {

    @Test
    void theOperatorMode_defaultsToIam() {
        TelemetryConfig defaults = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build()
                .getConfigMapping(TelemetryConfig.class);
        assertEquals(TelemetryConfig.OperatorMode.iam, defaults.auth().operatorMode());
    }
}
