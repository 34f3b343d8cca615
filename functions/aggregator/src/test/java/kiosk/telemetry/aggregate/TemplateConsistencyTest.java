package kiosk.telemetry.aggregate;

import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.engines.TemplateChecks;
import org.junit.jupiter.api.Test;

/** template.yaml and the aggregator function agree: code location, routes and auth, tables and policy. */
class TemplateConsistencyTest {

    private final TemplateChecks checks = new TemplateChecks("AggregatorFunction");

    @Test
    void codeUri_andRuntime_matchTheNativeBuild() {
        checks.codeUriIs("functions/aggregator");
    }

    @Test
    void everyRouteTheCodeServes_isInTheTemplate_withIamExactlyOnOperatorRoutes() throws Exception {
        checks.routesMatch(DailySummaryResource.class);
    }

    @Test
    void tableVariables_nameTemplateTables_grantedByThePolicy_withTheLocalDefaultNames() throws Exception {
        checks.tablesWired(TelemetryConfig.Tables.class);
    }
}
