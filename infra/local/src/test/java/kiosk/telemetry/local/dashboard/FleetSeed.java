package kiosk.telemetry.local.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import kiosk.telemetry.local.StackTime;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The data set the dashboard's browser tests read, written through the real API: six kiosks in four stores,
 * three groups and two countries (one kiosk registered but never heard from), eight past days and today of
 * sessions through the funnel, sales in KRW and USD, two experiments (one with a clear difference), and three
 * error groups (open, resolved, regressed). The past days are then aggregated by a manual run.
 * Deterministic: the same sessions, amounts and hours on every run.
 */
final class FleetSeed {

    static final ZoneId ZONE = ZoneId.of("Asia/Seoul");
    static final int PAST_DAYS = 8;
    static final String SILENT = "kiosk-soho-2";
    static final String[] STAGES = {"attract", "start", "frame_select", "capture", "edit", "payment", "print", "complete"};

    record Kiosk(String id, String store, String group, String country, String currency, String layout) {
    }

    static final List<Kiosk> KIOSKS = List.of(
            new Kiosk("kiosk-gangnam-1", "store-gangnam", "grp-seoul", "KR", "KRW", "A"),
            new Kiosk("kiosk-gangnam-2", "store-gangnam", "grp-seoul", "KR", "KRW", "B"),
            new Kiosk("kiosk-hongdae-1", "store-hongdae", "grp-seoul", "KR", "KRW", "A"),
            new Kiosk("kiosk-busan-1", "store-busan", "grp-south", "KR", "KRW", "B"),
            new Kiosk("kiosk-soho-1", "store-soho", "grp-nyc", "US", "USD", "B"));

    final LocalDate today;
    /** Fingerprints by error code. */
    final Map<String, String> fingerprints = new ConcurrentHashMap<>();

    private final StackProcess stack;
    private final Instant now;
    private final long started = System.nanoTime();

    private FleetSeed(StackProcess stack) {
        this.stack = stack;
        this.now = StackTime.now().truncatedTo(ChronoUnit.MILLIS);
        this.today = LocalDate.ofInstant(now, ZONE);
    }

    static FleetSeed write(StackProcess stack) throws Exception {
        FleetSeed seed = new FleetSeed(stack);
        seed.run();
        return seed;
    }

    LocalDate day(int daysAgo) {
        return today.minusDays(daysAgo);
    }

    private void run() throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Kiosk k : KIOSKS) {
            JsonNode reg = stack.admin("POST", "/api/devices",
                    Map.of("deviceId", k.id(), "storeId", k.store(), "groupId", k.group(), "countryCode", k.country()));
            tokens.put(k.id(), reg.get("token").asText());
        }
        stack.admin("POST", "/api/devices", Map.of("deviceId", SILENT, "storeId", "store-soho", "groupId", "grp-nyc", "countryCode", "US"));

        // Each kiosk writes its own days on its own thread, from its own random source: the same records every run.
        ExecutorService pool = Executors.newFixedThreadPool(KIOSKS.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Kiosk k : KIOSKS) {
                done.add(pool.submit(() -> {
                    new Writer(k, tokens.get(k.id()), new Random(19L + KIOSKS.indexOf(k))).write();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long written = System.nanoTime();
        Kiosk south = KIOSKS.get(3);
        Kiosk soho = KIOSKS.get(4);
        // NETWORK_TIMEOUT: resolved, then seen again (regressed). APP_CRASH: resolved. PRINTER_JAM stays open.
        resolve("NETWORK_TIMEOUT");
        error(tokens.get(south.id()), "network", "NETWORK_TIMEOUT", "Upload timed out after 30 s", "warning",
                now.minusSeconds(90));
        error(tokens.get(soho.id()), "software", "APP_CRASH", "NullPointerException in FrameRenderer", "fatal",
                day(2).atTime(15, 4).atZone(ZONE).toInstant());
        resolve("APP_CRASH");

        // Two runs side by side, each on its own half of the days.
        int half = PAST_DAYS / 2;
        JsonNode older = stack.admin("POST", "/api/daily-summary/aggregate",
                Map.of("from", day(PAST_DAYS).toString(), "to", day(half + 1).toString()));
        JsonNode newer = stack.admin("POST", "/api/daily-summary/aggregate", Map.of("from", day(half).toString(), "to", day(1).toString()));
        awaitRun(older.get("runId").asText());
        awaitRun(newer.get("runId").asText());
        System.out.printf("FleetSeed: %d kiosks' records written in %d ms, %d days aggregated in %d ms%n", KIOSKS.size(),
                (written - started) / 1_000_000, PAST_DAYS, (System.nanoTime() - written) / 1_000_000);
    }

    /** One kiosk's records: its sessions (with funnel, experiments and sales) and errors of every past day, and today's. */
    private final class Writer {

        private final Kiosk k;
        private final String token;
        private final Random random;
        private int sessions;

        Writer(Kiosk k, String token, Random random) {
            this.k = k;
            this.token = token;
            this.random = random;
        }

        void write() throws Exception {
            for (int ago = PAST_DAYS; ago >= 1; ago--) {
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    int hour = 9 + random.nextInt(13);
                    session(day(ago).atTime(hour, random.nextInt(60), random.nextInt(60)).atZone(ZONE).toInstant());
                }
                errors(ago);
            }
            // Today so far: a few sessions in the last minutes (never before the reporting day began).
            Instant startOfToday = today.atStartOfDay(ZONE).toInstant();
            for (int i = 0; i < 2; i++) {
                Instant start = now.minus(Duration.ofMinutes(6)).plusSeconds(20L * i + KIOSKS.indexOf(k));
                session(start.isBefore(startOfToday) ? startOfToday.plusSeconds(1L + i) : start);
            }
        }

        private void session(Instant start) throws Exception {
            String id = UUID.randomUUID().toString();
            int n = sessions++;
            // The kiosk shows the two price tags in turn, so the tag is independent of the kiosk's layout.
            String priceTag = n % 2 == 0 ? "control" : "badge";
            stack.kiosk(token, "POST", "/api/sessions", Map.of("sessionId", id, "startedAt", start.toString(), "appVersion", "3.2.0",
                    "experiments", Map.of("frameLayout", k.layout(), "priceTag", priceTag)));
            if (n % 11 == 10) {
                return; // still open: counted, never completed
            }
            // Of every ten sessions, layout B completes eight and layout A three (in a shuffled order that does not
            // follow the price tag's turns): B converts clearly better, the price tag makes little difference.
            boolean completed = (n * 7) % 10 < ("B".equals(k.layout()) ? 8 : 3);
            int reached = completed ? STAGES.length : 1 + random.nextInt(STAGES.length - 2);
            List<Map<String, String>> stages = new ArrayList<>();
            for (int s = 0; s < reached; s++) {
                stages.add(Map.of("stage", STAGES[s]));
            }
            Instant ended = start.plusSeconds(completed ? 180 + random.nextInt(180) : 40 + random.nextInt(80));
            if (ended.isAfter(now)) {
                ended = now;
            }
            Map<String, Object> funnel = new LinkedHashMap<>();
            funnel.put("stages", stages);
            funnel.put("exitStage", completed ? null : STAGES[reached - 1]);
            stack.kiosk(token, "PATCH", "/api/sessions/" + id, Map.of("seq", 1,
                    "status", completed ? "completed" : random.nextBoolean() ? "abandoned" : "timeout",
                    "endedAt", ended.toString(), "funnel", funnel));
            if (completed) {
                sale(id, ended.minusSeconds(5));
            }
        }

        private void sale(String sessionId, Instant soldAt) throws Exception {
            BigDecimal gross;
            BigDecimal discount;
            BigDecimal tax;
            if ("KRW".equals(k.currency())) {
                gross = BigDecimal.valueOf(random.nextBoolean() ? 10000 : 15000);
                discount = BigDecimal.valueOf(random.nextInt(3) == 0 ? 1000 : 0);
                tax = gross.subtract(discount).divide(BigDecimal.valueOf(11), 0, RoundingMode.DOWN);
            } else {
                gross = new BigDecimal(random.nextBoolean() ? "12.50" : "17.99");
                discount = random.nextInt(3) == 0 ? new BigDecimal("1.25") : BigDecimal.ZERO;
                tax = gross.subtract(discount).multiply(new BigDecimal("0.08")).setScale(2, RoundingMode.DOWN);
            }
            BigDecimal net = gross.subtract(discount).subtract(tax);
            String[] methods = {"card", "cash", "mobile"};
            stack.kiosk(token, "POST", "/api/sales", Map.of("saleId", UUID.randomUUID().toString(), "sessionId", sessionId,
                    "soldAt", soldAt.toString(), "currency", k.currency(), "paymentMethod", methods[random.nextInt(3)],
                    "amounts", Map.of("gross", gross, "discount", discount, "tax", tax, "net", net)));
        }

        private void errors(int ago) throws Exception {
            if (k.store().equals("store-gangnam") && ago % (k.id().endsWith("1") ? 3 : 4) == 1) {
                error(token, "hardware", "PRINTER_JAM", "Printer jam at tray " + (1 + random.nextInt(3)), "error",
                        day(ago).atTime(10 + random.nextInt(10), random.nextInt(60)).atZone(ZONE).toInstant());
            }
            if (k.store().equals("store-busan") && ago % 2 == 0) {
                error(token, "network", "NETWORK_TIMEOUT", "Upload timed out after 30 s", "warning",
                        day(ago).atTime(12 + random.nextInt(8), random.nextInt(60)).atZone(ZONE).toInstant());
            }
        }
    }

    private void error(String token, String category, String code, String message, String severity, Instant at) throws Exception {
        JsonNode r = stack.kiosk(token, "POST", "/api/errors", Map.of("errorId", UUID.randomUUID().toString(),
                "timestamp", at.toString(), "severity", severity, "category", category, "code", code, "message", message));
        fingerprints.putIfAbsent(code, r.get("fingerprint").asText());
    }

    private void resolve(String code) throws Exception {
        stack.admin("PATCH", "/api/errors/groups/" + fingerprints.get(code) + "/resolve",
                Map.of("resolvedBy", "seed@example.com", "note", "seeded"));
    }

    private void awaitRun(String runId) throws Exception {
        JsonNode run = StackTime.await(Duration.ofSeconds(120), () -> stack.admin("GET", "/api/daily-summary/runs/" + runId, null),
                r -> !"running".equals(r.get("status").asText()), r -> "aggregation run " + r.get("status").asText() + ": " + r);
        if (!"succeeded".equals(run.get("status").asText())) {
            throw new AssertionError("aggregation run " + run.get("status").asText() + ": " + run);
        }
    }
}
