package kiosk.telemetry.aggregate;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.time.ReportingCalendar;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import kiosk.telemetry.aggregate.archive.ArchiveStore;
import kiosk.telemetry.aggregate.archive.ArchiveWriter;
import kiosk.telemetry.aggregate.insights.Breakdown;
import kiosk.telemetry.aggregate.insights.InsightsService;
import kiosk.telemetry.aggregate.insights.Today;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.dynamo.SessionTimeouts;
import kiosk.telemetry.aggregate.insights.RegisteredDevices;

import java.nio.file.Path;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import kiosk.telemetry.core.metrics.Emf;
import org.jboss.logging.Logger;

/** The aggregator's plain classes, built from configuration. */
public class AggregatorBeans {

    private final ExecutorService readers = Executors.newFixedThreadPool(16, daemon("day-reader"));
    private final ExecutorService runs = Executors.newSingleThreadExecutor(daemon("aggregation-run"));

    @Produces
    @Singleton
    DailySummariesTable summaries(DynamoDbClient dynamo, TelemetryConfig config) {
        return new DailySummariesTable(dynamo, config.tables().dailySummaries(), config.shards().summaries());
    }

    @Produces
    @Singleton
    DailyRollupsTable rollups(DynamoDbClient dynamo, TelemetryConfig config) {
        return new DailyRollupsTable(dynamo, config.tables().dailyRollups());
    }

    @Produces
    @Singleton
    RegisteredDevices registeredDevices(DevicesTable devices, Clock clock, TelemetryConfig config) {
        return new RegisteredDevices(devices, clock, config.aggregation().registeredKeep());
    }

    @Produces
    @Singleton
    InsightsService insights(DailyRollupsTable rollups, RegisteredDevices registered) {
        return new InsightsService(rollups, registered);
    }

    @Produces
    @Singleton
    Today today(LiveTotalsTable totals, RegisteredDevices registered, ReportingCalendar calendar, Clock clock, TelemetryConfig config) {
        return new Today(totals, registered, calendar, clock, config.live().keep());
    }

    @Produces
    @Singleton
    Breakdown breakdown(DailyRollupsTable rollups, DailySummariesTable summaries, DevicesTable devices) {
        return new Breakdown(rollups, summaries, devices, readers);
    }

    @Produces
    @Singleton
    ArchiveWriter archiveWriter(S3Client s3, TelemetryConfig config) {
        var a = config.archive();
        return new ArchiveWriter(new ArchiveStore(s3, a.bucket()), a.stagingPrefix(), Path.of(a.workDir()), a.rowGroupBytes());
    }

    @Produces
    @Singleton
    RunService runService(DynamoDbClient dynamo, IndexPager pager, DayMarksTable marks, DailySummariesTable summaries,
                          DailyRollupsTable rollups, ArchiveWriter archives, ReportingCalendar calendar, Clock clock, TelemetryConfig config,
                          Emf emf) {
        var t = config.tables();
        var sources = DayAggregation.Sources.of(config);
        var aggregation = new DayAggregation(dynamo, new DayReader(dynamo, readers), sources, summaries, rollups, archives, calendar.zone());
        var a = config.aggregation();
        var service = new RunService(new AggregationRunsTable(dynamo, pager, t.aggregationRuns()), marks, aggregation, calendar,
                clock, new RunService.Timing(a.settle(), a.lease(), config.rawRetention(), a.maxDays()), emf,
                new SessionTimeouts(dynamo, t.sessions(), config.shards().sessions()));
        if ("lambda".equals(config.aggregation().launcher())) {
            String name = config.aggregation().functionName()
                    .orElseThrow(() -> new IllegalStateException("telemetry.aggregation.function-name is required for the lambda launcher"));
            var lambda = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create());
            config.aggregation().lambdaEndpoint().ifPresent(lambda::endpointOverride);
            service.launchWith(new LambdaRunLauncher(lambda.build(), name));
        } else {
            service.launchWith(new InProcessRunLauncher(runs, runId -> {
                try {
                    service.execute(runId);
                } catch (RuntimeException e) {
                    Logger.getLogger(AggregatorBeans.class).errorf(e, "run %s did not execute", runId);
                }
            }));
        }
        return service;
    }

    void stop(@Observes ShutdownEvent e) {
        readers.shutdownNow();
        runs.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
