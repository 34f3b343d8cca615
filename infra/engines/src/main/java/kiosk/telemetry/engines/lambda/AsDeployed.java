package kiosk.telemetry.engines.lambda;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The test profile of a function as AWS runs it: operator routes authorised by API Gateway's IAM authoriser,
 * as a Lambda build does with no setting at all (the profile only undoes the test profile's admin-token mode).
 */
public class AsDeployed implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("telemetry.auth.operator-mode", "iam");
    }
}
