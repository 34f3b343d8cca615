package kiosk.telemetry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.SmallRyeConfigBuilder;
import kiosk.telemetry.core.auth.Device;
import kiosk.telemetry.core.auth.DeviceTokens;
import kiosk.telemetry.core.batch.ConditionalBatchWriter;
import kiosk.telemetry.core.bind.Binder;
import kiosk.telemetry.core.config.TelemetryConfig;
import kiosk.telemetry.core.dynamo.DayMarksTable;
import kiosk.telemetry.core.dynamo.DevicesTable;
import kiosk.telemetry.core.dynamo.IndexPager;
import kiosk.telemetry.core.dynamo.LateDataMarks;
import kiosk.telemetry.core.dynamo.LiveTotalsTable;
import kiosk.telemetry.core.dynamo.SessionOwners;
import kiosk.telemetry.core.error.Answers;
import kiosk.telemetry.core.error.ApiException;
import kiosk.telemetry.core.live.LiveTotals;
import kiosk.telemetry.core.metrics.Emf;
import kiosk.telemetry.core.page.ListQuery;
import kiosk.telemetry.core.time.ReportingCalendar;
import kiosk.telemetry.engines.DynamoFaults;
import kiosk.telemetry.engines.TelemetryEngines;
import kiosk.telemetry.errors.ConflictRetry;
import kiosk.telemetry.errors.ErrorGroupView;
import kiosk.telemetry.errors.ErrorGroupsTable;
import kiosk.telemetry.errors.ErrorRequest;
import kiosk.telemetry.errors.ErrorService;
import kiosk.telemetry.errors.ErrorStore;
import kiosk.telemetry.errors.ErrorsTable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fleet-wide incident: N registered kiosks report an error of one fingerprint at the same instant, each its own
 * error, each from its own thread as N Lambda instances would, through the error function's {@code ErrorService}
 * (session-owner check, validation, fingerprint, {@code ErrorStore}) on DynamoDB Local in this JVM. DynamoDB Local
 * serialises transactions instead of cancelling conflicting ones, so by default the client in front of it
 * ({@link DynamoFaults}) gives transactions DynamoDB's item-level conflicts, each transaction holding its items
 * {@code bench.conflictHoldMs} (25 ms; 0 = plain DynamoDB Local). Per N it prints the first tries' answers as the
 * function would give them (201, 200, 503, other), their p50/p99 latency, the group's count and devices after the
 * burst, and again after every kiosk that was not answered 201 resent its report with the kiosk SDK's back-off until
 * it was answered 201 or 200: both must then equal N. Prints figures; asserts nothing.
 */
public final class ErrorIncidentBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int[] REPORTERS = Arrays.stream(System.getProperty("bench.reporters", "50,100,200").split(","))
            .map(String::strip).mapToInt(Integer::parseInt).toArray();
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 5);
    private static final Duration HOLD = Duration.ofMillis(Integer.getInteger("bench.conflictHoldMs", 25));
    private static final int MAX_RESENDS = 10;
    private static final Binder BINDER = Binder.standalone(new SmallRyeConfigBuilder().addDefaultSources()
            .withMapping(TelemetryConfig.class).build().getConfigMapping(TelemetryConfig.class), Clock.systemUTC());

    private ErrorIncidentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        int most = Arrays.stream(REPORTERS).max().orElse(1);
        try (TelemetryEngines engines = TelemetryEngines.start(null); DynamoDbClient real = engines.dynamo().client()) {
            DynamoFaults faults = DynamoFaults.wrap(real, HOLD);
            TelemetryConfig config = new SmallRyeConfigBuilder().addDefaultSources().withMapping(TelemetryConfig.class).build()
                    .getConfigMapping(TelemetryConfig.class);
            ErrorService service = service(faults.client(), config);
            ExecutorService threads = Executors.newFixedThreadPool(most + 8, r -> {
                Thread t = new Thread(r);
                t.setDaemon(true);
                return t;
            });
            List<Device> kiosks = register(new DevicesTable(real, config), most);
            System.out.printf("DynamoDB Local in this JVM, transactions hold their items %d ms; %d kiosks; warm-up: %d incidents of %d%n",
                    HOLD.toMillis(), most, WARMUP_ROUNDS, most);
            for (int w = 0; w < WARMUP_ROUNDS; w++) {
                incident(service, threads, kiosks);
            }
            List<Summary> summaries = new ArrayList<>();
            for (int n : REPORTERS) {
                List<Incident> rounds = new ArrayList<>();
                for (int r = 0; r < ROUNDS; r++) {
                    long conflicts = faults.conflicts();
                    Incident i = incident(service, threads, kiosks.subList(0, n));
                    rounds.add(i);
                    System.out.printf("N=%d round %d: first tries %s, p50 %.0f ms, p99 %.0f ms; after the burst count %d devices %d;"
                                    + " %d resends (%d reports still refused), then count %d devices %d; %d conflicts%n", n, r + 1,
                            i.statuses, i.p(0.50), i.p(0.99), i.burstCount, i.burstDevices, i.resends, i.refused, i.finalCount,
                            i.finalDevices, faults.conflicts() - conflicts);
                }
                summaries.add(new Summary(n, rounds));
            }
            System.out.println();
            System.out.printf("transactions hold their items %d ms; %d counter entries per count; conflicts retried for %s%n",
                    HOLD.toMillis(), config.shards().errorGroupCounters(), config.transactions().conflictDeadline());
            System.out.println("| reporters | rounds | first try 201 | 503 | other | p50 ms | p99 ms | count / devices after the burst |"
                    + " resends | exact after resends (count = devices = N) |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
            for (Summary s : summaries) {
                System.out.println(s.row());
            }
        }
        // DynamoDB Local leaves non-daemon threads behind
        System.exit(0);
    }

    private static ErrorService service(DynamoDbClient dynamo, TelemetryConfig config) {
        ReportingCalendar calendar = new ReportingCalendar(config.reportingZone());
        IndexPager pager = new IndexPager(dynamo);
        Clock clock = Clock.systemUTC();
        ErrorsTable errors = new ErrorsTable(dynamo, pager, calendar, config);
        ErrorGroupsTable groups = new ErrorGroupsTable(dynamo, pager, config);
        return new ErrorService(new ErrorStore(dynamo, errors, groups, new ConflictRetry(config)), errors, groups, new SessionOwners(dynamo, config),
                new ConditionalBatchWriter(config), new LateDataMarks(new DayMarksTable(dynamo, config), calendar, clock),
                calendar, clock, config, new LiveTotals(new LiveTotalsTable(dynamo, config), calendar, clock,
                new Emf("KioskTelemetry", "bench", clock, line -> { }), config.live().markCache()));
    }

    /** N kiosks report at once; the ones not answered 201 resend until they are answered 201 or 200. */
    private static Incident incident(ErrorService service, ExecutorService threads, List<Device> kiosks) throws Exception {
        String code = "INCIDENT_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Instant at = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        List<ObjectNode> reports = new ArrayList<>();
        for (int k = 0; k < kiosks.size(); k++) {
            reports.add(report(code, at.plusMillis(k)));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Attempt>> firsts = new ArrayList<>();
        for (int k = 0; k < kiosks.size(); k++) {
            Device kiosk = kiosks.get(k);
            ObjectNode body = reports.get(k);
            firsts.add(threads.submit(() -> {
                go.await();
                return report(service, kiosk, body);
            }));
        }
        go.countDown();
        List<Attempt> attempts = new ArrayList<>();
        for (Future<Attempt> f : firsts) {
            attempts.add(f.get());
        }
        String fingerprint = attempts.stream().map(Attempt::fingerprint).filter(f -> f != null).findFirst().orElse(null);
        long[] burst = fingerprint == null ? new long[]{0, 0} : group(service, fingerprint, at);

        List<Future<Integer>> resends = new ArrayList<>();
        for (int k = 0; k < kiosks.size(); k++) {
            if (attempts.get(k).status() != 201) {
                Device kiosk = kiosks.get(k);
                ObjectNode body = reports.get(k);
                resends.add(threads.submit(() -> resendUntilAccepted(service, kiosk, body)));
            }
        }
        int sent = 0;
        int refused = 0;
        for (Future<Integer> f : resends) {
            int n = f.get();
            sent += n < 0 ? MAX_RESENDS : n;
            refused += n < 0 ? 1 : 0;
        }
        if (fingerprint == null) {
            fingerprint = report(service, kiosks.get(0), reports.get(0)).fingerprint();
        }
        long[] after = group(service, fingerprint, at);
        Map<Integer, Integer> statuses = new TreeMap<>();
        attempts.forEach(a -> statuses.merge(a.status(), 1, Integer::sum));
        List<Double> latencies = attempts.stream().map(Attempt::millis).sorted().toList();
        return new Incident(kiosks.size(), statuses, latencies, burst[0], burst[1], sent, refused, after[0], after[1]);
    }

    /** One report as the function answers it: 201 new, 200 repeat, an ApiException's status, 503 for storage faults. */
    private static Attempt report(ErrorService service, Device kiosk, ObjectNode body) {
        long t0 = System.nanoTime();
        int status;
        String fingerprint = null;
        try {
            var recorded = service.report(kiosk, BINDER.bind(body, ErrorRequest.class));
            status = Answers.recorded(recorded).getStatus();
            fingerprint = recorded.body().fingerprint();
        } catch (ApiException e) {
            status = e.status();
        } catch (SdkException e) {
            status = 503;
        } catch (RuntimeException e) {
            status = 500;
        }
        return new Attempt(status, (System.nanoTime() - t0) / 1e6, fingerprint);
    }

    /**
     * Resends as the kiosk SDK backs off (its {@code Backoff}: after the n-th failure in a row, between half and all of
     * min(1 s x 2^(n-1), 60 s)); the number of resends, or -1 when still not accepted after {@value #MAX_RESENDS}.
     */
    private static int resendUntilAccepted(ErrorService service, Device kiosk, ObjectNode body) throws Exception {
        for (int n = 1; n <= MAX_RESENDS; n++) {
            long wait = Math.min(1000L << (n - 1), 60_000L);
            Thread.sleep(ThreadLocalRandom.current().nextLong(wait / 2, wait + 1));
            int status = report(service, kiosk, body).status();
            if (status == 201 || status == 200) {
                return n;
            }
        }
        return -1;
    }

    /** The group's count and devices as the operators' list shows them. */
    private static long[] group(ErrorService service, String fingerprint, Instant seen) {
        ListQuery q = ListQuery.on("errors/groups").filter("category", "hardware").range(seen.minus(1, ChronoUnit.HOURS).toString(), null)
                .limit("500", 50, 500).cursor(null).build();
        for (ErrorGroupView g : service.listGroups(q).items()) {
            if (g.fingerprint().equals(fingerprint)) {
                return new long[]{g.count(), g.devices()};
            }
        }
        return new long[]{0, 0};
    }

    private static ObjectNode report(String code, Instant at) {
        ObjectNode e = MAPPER.createObjectNode().put("errorId", UUID.randomUUID().toString())
                .put("sessionId", UUID.randomUUID().toString()).put("timestamp", at.toString())
                .put("severity", "error").put("category", "hardware").put("code", code)
                .put("message", "Printer jam at tray 2").put("stack", "PrinterException: jam\n\tat kiosk.print.Tray.feed(Tray.java:42)");
        e.putObject("deviceState").put("printerPaper", 12).put("networkOnline", true);
        return e;
    }

    private static List<Device> register(DevicesTable devices, int n) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Device> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Device d = new Device("incident-" + run + "-" + k, "store-bench", null, "KR",
                    DeviceTokens.hash(DeviceTokens.issue("incident-" + k)), Instant.now(), null, null);
            devices.create(d);
            out.add(d);
        }
        return out;
    }

    private record Attempt(int status, double millis, String fingerprint) {
    }

    private record Incident(int reporters, Map<Integer, Integer> statuses, List<Double> latencies, long burstCount,
                            long burstDevices, int resends, int refused, long finalCount, long finalDevices) {
        double p(double q) {
            return nearestRank(latencies, q);
        }

        boolean exact() {
            return finalCount == reporters && finalDevices == reporters;
        }
    }

    private record Summary(int n, List<Incident> rounds) {
        String row() {
            int total = n * rounds.size();
            int created = rounds.stream().mapToInt(i -> i.statuses.getOrDefault(201, 0)).sum();
            int unavailable = rounds.stream().mapToInt(i -> i.statuses.getOrDefault(503, 0)).sum();
            List<Double> all = rounds.stream().flatMap(i -> i.latencies.stream()).sorted().toList();
            String burst = String.join(", ", rounds.stream().map(i -> i.burstCount + " / " + i.burstDevices).toList());
            int resends = rounds.stream().mapToInt(Incident::resends).sum();
            int refused = rounds.stream().mapToInt(Incident::refused).sum();
            boolean exact = rounds.stream().allMatch(Incident::exact);
            return String.format("| %d | %d | %d of %d (%.1f %%) | %d | %d | %.0f | %.0f | %s | %d%s | %s |", n, rounds.size(),
                    created, total, 100.0 * created / total, unavailable, total - created - unavailable,
                    nearestRank(all, 0.50), nearestRank(all, 0.99), burst, resends,
                    refused == 0 ? "" : " (" + refused + " still refused after " + MAX_RESENDS + ")", exact ? "yes" : "NO");
        }
    }

    private static double nearestRank(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
