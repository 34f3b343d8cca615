package kiosk.telemetry.performance;

import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.store.DeviceItem;
import kiosk.telemetry.engines.TemplateChecks;
import org.junit.jupiter.api.Test;

/** template.yaml and the performance function agree: code location, routes and auth, tables and policy. */
class TemplateConsistencyTest {

    private final TemplateChecks checks = new TemplateChecks("PerformanceFunction");

    @Test
    void codeUri_andRuntime_matchTheNativeBuild() {
        checks.codeUriIs("functions/performance");
    }

    @Test
    void everyRouteTheCodeServes_isInTheTemplate_withIamExactlyOnOperatorRoutes() throws Exception {
        checks.routesMatch(PerformanceResource.class);
    }

    @Test
    void tableVariables_nameTemplateTables_grantedByThePolicy_withTheLocalDefaultNames() throws Exception {
        checks.tablesWired(TelemetryConfig.Tables.class);
    }

    @Test
    void theRegistry_isWrittenOnlyInTheLivenessAttributes_soATokenCannotBeChangedFromHere() {
        checks.updatesOnlyAttributes("DevicesTable", DeviceItem.LIVENESS_ATTRIBUTES);
    }
}
