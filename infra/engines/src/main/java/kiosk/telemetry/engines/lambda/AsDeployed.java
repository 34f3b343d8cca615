package kiosk.telemetry.engines.lambda;

import io.quarkus.test.junit.QuarkusTestProfile;
import kiosk.telemetry.engines.iam.EnforcedPolicy;

import java.util.Map;

/**
 * The test profile of a function as AWS runs it: operator routes authorised by API Gateway's IAM authoriser,
 * as a Lambda build does with no setting at all (the profile only undoes the test profile's admin-token mode), and
 * the DynamoDB client able to refuse what the function's IAM policy does not allow ({@link EnforcedPolicy}, which
 * checks only while a {@link LambdaHandler} invocation enforces it). The interceptor is a build-time setting, so it
 * lives here rather than in a function's packaged {@code application.properties}; the extension accepts only
 * interceptors in the application's index, hence this jar is indexed too.
 */
public class AsDeployed implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("telemetry.auth.operator-mode", "iam",
                "quarkus.dynamodb.interceptors", EnforcedPolicy.class.getName(),
                "quarkus.index-dependency.telemetry-engines.group-id", "kiosk.telemetry",
                "quarkus.index-dependency.telemetry-engines.artifact-id", "telemetry-embedded-engines");
    }
}
