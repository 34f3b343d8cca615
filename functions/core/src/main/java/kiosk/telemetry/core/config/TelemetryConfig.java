package kiosk.telemetry.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.net.URI;

/**
 * Every setting of the backend, under the {@code telemetry.} prefix. Each key can be set from the
 * environment (for example {@code telemetry.tables.sessions} from {@code TELEMETRY_TABLES_SESSIONS}),
 * which is how {@code template.yaml} wires the deployed functions.
 */
@ConfigMapping(prefix = "telemetry")
public interface TelemetryConfig {

    Tables tables();

    Live live();

    Auth auth();

    Limits limits();

    /** Reporting zone: the calendar day of a record in this zone is its reporting day. */
    @WithName("reporting-zone")
    @WithDefault("Asia/Seoul")
    ZoneId reportingZone();

    /** How long raw rows stay in DynamoDB after the end of their reporting day (TTL); the archive keeps them after. */
    @WithName("raw-retention")
    @WithDefault("P35D")
    Duration rawRetention();

    Shards shards();

    /** The {@code Retry-After} of every 503 (throttled or unavailable storage), rounded up to whole seconds. */
    @WithName("retry-after")
    @WithDefault("PT2S")
    Duration retryAfter();

    Archive archive();

    Aggregation aggregation();

    Metrics metrics();

    Legacy legacy();

    /**
     * Rows written before a layout change that are still read through the indexes of the old layout, until they
     * expire (docs/runbook.md, "Events at one write" and "Timings at one write": the steps that turn these off and remove the old
     * indexes and table).
     */
    interface Legacy {
        /**
         * Events written with {@code dayShard} and {@code ts} (before the session-day directory) are also read
         * through the Events table's {@code day-index} and {@code device-index}. Turn off only once those indexes
         * are to be removed, after every such event has expired.
         */
        @WithDefault("true")
        boolean eventIndexes();

        /**
         * Timings stored in the Metrics table (before the Timings table) are also read, through its {@code day-index}
         * and {@code device-index}, and a timing sent again whose {@code metricId} is there is a duplicate (or another
         * device's id). Turn off only once the Metrics table is to be removed, after every timing in it has expired.
         */
        @WithDefault("true")
        boolean metricsTable();
    }

    /** CloudWatch metrics in Embedded Metric Format (the template enables them in every function). */
    interface Metrics {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("KioskTelemetry")
        String namespace();

        /** The Function dimension: the function's short name. */
        @WithDefault("${quarkus.application.name:telemetry}")
        String function();
    }

    interface Aggregation {
        /** How a run started by the API is executed: {@code lambda} (async self-invocation) or {@code in-process}. */
        @WithDefault("in-process")
        String launcher();

        /** This function's name for the async self-invocation (AWS_LAMBDA_FUNCTION_NAME in Lambda). */
        Optional<String> functionName();

        /**
         * The Lambda API endpoint for the self-invocation; unset means the region's public endpoint. Set it for a
         * VPC interface endpoint, LocalStack, or a test double of the Lambda service.
         */
        Optional<URI> lambdaEndpoint();

        /** Wait after marking a day "aggregation started" before reading it (>= the ingestion mark cache, 60 s). */
        @WithDefault("PT65S")
        Duration settle();

        /**
         * How long one invocation holds a run it executes and each day it aggregates. Longer than the aggregator's
         * Lambda timeout (900 s), so a live holder never loses them; a crashed one's expire for the retry.
         */
        @WithDefault("PT16M")
        Duration lease();

        /** Longest date range of one manual run, in days. */
        @WithDefault("31")
        int maxDays();

        /** How long the insights overview keeps a scope's count of registered devices before counting again. */
        @WithDefault("PT5M")
        Duration registeredKeep();
    }

    /** The running totals of the current reporting day ({@code /api/insights/today}). */
    interface Live {
        /** Partitions a day's cells (and, apart, its device marks) are spread over; readers Query each. May only grow. */
        @WithDefault("8")
        int shards();

        /** How long the aggregator keeps a scope's {@code today} answer before reading the cells again (≤ 60 s). */
        @WithDefault("PT30S")
        Duration keep();

        /** (device, day) marks one ingest instance remembers having written, so it writes each about once. */
        @WithName("mark-cache")
        @WithDefault("20000")
        int markCache();
    }

    interface Archive {
        /** The S3 bucket of the Parquet archive (TELEMETRY_ARCHIVE_BUCKET in AWS). */
        @WithDefault("telemetry-archive")
        String bucket();

        /**
         * Where a run writes a day's new Parquet files before publishing them under {@code <table>/dt=<day>/}; outside
         * every table's location, so Athena never sees a half-written day. The bucket expires it after a day.
         */
        @WithDefault("_staging/")
        String stagingPrefix();

        /** Parquet row-group size: the most one open archive file buffers in memory before flushing. */
        @WithDefault("8388608")
        int rowGroupBytes();

        /** Local directory for files being written (Lambda: /tmp). */
        @WithDefault("${java.io.tmpdir}")
        String workDir();
    }

    interface Tables {
        @WithDefault("telemetry-devices")
        String devices();

        @WithDefault("telemetry-sessions")
        String sessions();

        @WithDefault("telemetry-sales")
        String sales();

        @WithDefault("telemetry-events")
        String events();

        /**
         * The session-day directory: which sessions have events or timings on which reporting day, from which device;
         * how both are found by day and device.
         */
        @WithDefault("telemetry-event-session-days")
        String eventSessionDays();

        @WithDefault("telemetry-day-marks")
        String dayMarks();

        /** Timings stored before the Timings table; read only (see {@link Legacy#metricsTable()}). */
        @WithDefault("telemetry-metrics")
        String metrics();

        @WithDefault("telemetry-timings")
        String timings();

        @WithDefault("telemetry-errors")
        String errors();

        @WithDefault("telemetry-error-groups")
        String errorGroups();

        @WithDefault("telemetry-daily-summaries")
        String dailySummaries();

        @WithDefault("telemetry-daily-rollups")
        String dailyRollups();

        @WithDefault("telemetry-aggregation-runs")
        String aggregationRuns();

        /** The current day's running totals per (store, group, country), counted at ingest for {@code today}. */
        @WithDefault("telemetry-live-totals")
        String liveTotals();
    }

    interface Auth {
        /**
         * How operator routes are authorised: {@code iam} (the default, so a Lambda build fails closed) trusts API
         * Gateway's IAM authoriser and requires its principal; {@code token} compares a bearer token with
         * {@link #adminToken()} and is set only by the local stack and the dev and test profiles.
         */
        @WithDefault("iam")
        OperatorMode operatorMode();

        /** The operator bearer token in {@code token} mode (TELEMETRY_AUTH_ADMIN_TOKEN or TELEMETRY_ADMIN_TOKEN). */
        Optional<String> adminToken();

        /**
         * How long a warm process trusts a device-token lookup before reading the registry again: how long a revoked
         * or rotated token may still work in other warm instances. At most 10 s; longer settings are cut to 10 s.
         */
        @WithDefault("PT10S")
        Duration deviceCacheTtl();

        /** A device's lastSeenAt is written at most once per this interval. */
        @WithDefault("PT1M")
        Duration lastSeenInterval();

        /**
         * In {@code token} mode only: a JSON file of dashboard users, each with a role, a bearer token and the stores
         * and groups it is limited to (docs/api.md, "Operator routes"). In AWS people sign in through Cognito.
         */
        Optional<Path> usersFile();

        /** The user-pool group whose members are operators (in the ID token's {@code cognito:groups}). */
        @WithDefault("operator")
        String operatorGroup();

        /** The user-pool group whose members are viewers. */
        @WithDefault("viewer")
        String viewerGroup();

        /** The ID-token claim listing the stores a user is limited to (comma-separated; absent: no store limit). */
        @WithDefault("custom:stores")
        String storesClaim();

        /** The ID-token claim listing the groups a user is limited to. */
        @WithDefault("custom:groups")
        String groupsClaim();
    }

    enum OperatorMode { token, iam }

    interface Limits {
        @WithDefault("1048576")
        int maxBodyBytes();

        @WithDefault("500")
        int maxBatchItems();

        @WithDefault("2048")
        int maxStringBytes();

        @WithDefault("8192")
        int maxObjectBytes();

        /**
         * The most an error report may take stored (attribute names and values, as DynamoDB counts them): well
         * under DynamoDB's 400 KB item limit. Larger reports are refused with 413.
         */
        @WithDefault("307200")
        int maxErrorItemBytes();

        @WithDefault("PT5M")
        Duration maxFutureSkew();

        @WithDefault("P30D")
        Duration maxPastAge();

        @WithDefault("50")
        int defaultPageSize();

        @WithDefault("500")
        int maxPageSize();

        /** How far back an unfiltered list walks the day index when no {@code from} is given. */
        @WithDefault("P35D")
        Duration defaultListLookback();
    }

    /**
     * Write-sharding of the per-day indexes; only ever increase these (readers read every shard). Not {@link #events()}
     * while rows exist: the session-day directory's entries of one session and day must stay in one shard, or the
     * session would be read once per shard holding one.
     */
    interface Shards {
        @WithDefault("4")
        int sessions();

        @WithDefault("4")
        int sales();

        /** The session-day directory's day index, by which events and timings are read (and the old Events day index). */
        @WithDefault("64")
        int events();

        /** The Metrics table's day index (timings stored before the Timings table). */
        @WithDefault("16")
        int metrics();

        @WithDefault("4")
        int errors();

        @WithDefault("8")
        int summaries();

        /**
         * Counter items of each error group, for the error count and for the device count each: concurrent reports
         * of one fingerprint spread their transactions over them. Any change is safe: readers sum whatever counter
         * items a group has.
         */
        @WithDefault("16")
        int errorGroupCounters();
    }

    Transactions transactions();

    /** DynamoDB transactions refused because another transaction was writing one of their items. */
    interface Transactions {
        /** A refused transaction is retried, after a random pause up to this, doubling with each retry (at most x16). */
        @WithDefault("PT0.025S")
        Duration conflictBackoff();

        /** No retry starts later than this after the first attempt; the conflict then answers 503. */
        @WithDefault("PT2S")
        Duration conflictDeadline();
    }

    Batch batch();

    /** Concurrent conditional writes of batch routes. */
    interface Batch {
        /** Writes in flight at once per function instance. */
        @WithDefault("32")
        int writeConcurrency();

        /** A batch answers within this time; writes not done by then are reported in {@code retry}. */
        @WithDefault("PT10S")
        Duration writeDeadline();
    }
}
