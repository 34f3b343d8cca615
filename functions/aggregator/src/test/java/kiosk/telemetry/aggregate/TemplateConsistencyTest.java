package kiosk.telemetry.aggregate;

import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.aggregate.archive.ArchiveTable;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.SessionTimeouts;
import kiosk.telemetry.engines.SamTemplate;
import kiosk.telemetry.engines.TemplateChecks;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** template.yaml and the aggregator function agree: code location, routes and auth, tables, archive and policy. */
class TemplateConsistencyTest {

    private final TemplateChecks checks = new TemplateChecks("AggregatorFunction");
    private final SamTemplate template = SamTemplate.fromClasspath();

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

    @Test
    void sessions_areWrittenOnlyInTheTimeoutAttributes_soTheAggregatorCannotChangeWhatAKioskSent() {
        checks.updatesOnlyAttributes("SessionsTable", SessionTimeouts.ATTRIBUTES);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyArchivedTable_isAGlueTable_withTheWritersColumns_andProjectionOnDt() {
        Map<String, Map<String, Object>> glue = new TreeMap<>();
        template.resourcesOfType("AWS::Glue::Table").values().forEach(r -> {
            Map<String, Object> input = (Map<String, Object>) SamTemplate.properties(r).get("TableInput");
            glue.put((String) input.get("Name"), input);
        });
        assertEquals(ArchiveTable.ALL.stream().map(ArchiveTable::name).sorted().toList(), List.copyOf(glue.keySet()));
        for (ArchiveTable t : ArchiveTable.ALL) {
            Map<String, Object> input = glue.get(t.name());
            Map<String, Object> sd = (Map<String, Object>) input.get("StorageDescriptor");
            List<List<String>> columns = ((List<Map<String, Object>>) sd.get("Columns")).stream()
                    .map(c -> List.of((String) c.get("Name"), (String) c.get("Type"))).toList();
            assertEquals(t.columns().stream().map(c -> List.of(c.name(), c.glueType())).toList(), columns, t.name() + " columns");
            assertEquals(Map.of("Fn::Sub", "s3://${ArchiveBucket}/" + t.name() + "/"), sd.get("Location"));
            assertEquals("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                    ((Map<String, Object>) sd.get("SerdeInfo")).get("SerializationLibrary"));
            assertEquals(List.of(Map.of("Name", "dt", "Type", "string", "Comment", "reporting day YYYY-MM-DD")), input.get("PartitionKeys"));
            Map<String, Object> params = (Map<String, Object>) input.get("Parameters");
            assertEquals("true", params.get("projection.enabled"));
            assertEquals("date", params.get("projection.dt.type"));
            assertEquals("yyyy-MM-dd", params.get("projection.dt.format"));
            assertEquals(Map.of("Fn::Sub", "s3://${ArchiveBucket}/" + t.name() + "/dt=${!dt}/"), params.get("storage.location.template"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFunction_writesOnlyTheArchivePrefixes_ofTheBucketItIsGiven() {
        Map<String, Object> fn = SamTemplate.properties(template.resources().get("AggregatorFunction"));
        Map<String, Object> vars = (Map<String, Object>) ((Map<String, Object>) fn.get("Environment")).get("Variables");
        assertEquals(Map.of("Ref", "ArchiveBucket"), vars.get("TELEMETRY_ARCHIVE_BUCKET"));
        TelemetryConfig defaults = new SmallRyeConfigBuilder().withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class);
        List<Object> expected = new java.util.ArrayList<>();
        expected.add(Map.of("Fn::Sub", "${ArchiveBucket.Arn}/" + defaults.archive().stagingPrefix() + "*"));
        ArchiveTable.ALL.forEach(t -> expected.add(Map.of("Fn::Sub", "${ArchiveBucket.Arn}/" + t.name() + "/*")));
        Map<String, Object> objects = statement(fn, "ArchiveObjects");
        assertEquals(List.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject"), objects.get("Action"));
        assertEquals(expected, objects.get("Resource"));
        Map<String, Object> listing = statement(fn, "ArchiveListing");
        assertEquals(List.of("s3:ListBucket"), listing.get("Action"));
        // listing is limited to the prefixes the run lists: the staging prefix and the archived tables
        List<String> prefixes = new ArrayList<>();
        prefixes.add(defaults.archive().stagingPrefix() + "*");
        ArchiveTable.ALL.forEach(t -> prefixes.add(t.name() + "/*"));
        assertEquals(Map.of("StringLike", Map.of("s3:prefix", prefixes)), listing.get("Condition"));

        // the staging prefix expires in the bucket, so a failed run's leftovers never pile up
        Map<String, Object> bucket = SamTemplate.properties(template.resources().get("ArchiveBucket"));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) bucket.get("LifecycleConfiguration")).get("Rules");
        assertTrue(rules.stream().anyMatch(r -> defaults.archive().stagingPrefix().equals(r.get("Prefix")) && Integer.valueOf(1).equals(r.get("ExpirationInDays"))));

        // a replaced or deleted archive file stays restorable for a while, then expires
        assertEquals(Map.of("Status", "Enabled"), bucket.get("VersioningConfiguration"));
        assertTrue(rules.stream().anyMatch(r -> r.get("Prefix") == null
                && Map.of("NoncurrentDays", Map.of("Ref", "ArchiveNoncurrentVersionDays")).equals(r.get("NoncurrentVersionExpiration"))), rules.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkgroup_hasAResultLocation_andABytesScannedCutoff() {
        Map<String, Object> wg = SamTemplate.properties(template.resources().get("AthenaWorkGroup"));
        Map<String, Object> conf = (Map<String, Object>) wg.get("WorkGroupConfiguration");
        assertEquals(Map.of("Ref", "AthenaBytesScannedCutoff"), conf.get("BytesScannedCutoffPerQuery"));
        assertEquals(true, conf.get("EnforceWorkGroupConfiguration"));
        assertEquals(Map.of("Fn::Sub", "s3://${AthenaResultsBucket}/results/"), ((Map<String, Object>) conf.get("ResultConfiguration")).get("OutputLocation"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Map<String, Object> fn, String sid) {
        for (Object p : (List<Object>) fn.get("Policies")) {
            if (p instanceof Map<?, ?> m && m.get("Statement") instanceof List<?> sts) {
                for (Object st : sts) {
                    if (sid.equals(((Map<String, Object>) st).get("Sid"))) {
                        return (Map<String, Object>) st;
                    }
                }
            }
        }
        throw new AssertionError("no policy statement " + sid);
    }
}
