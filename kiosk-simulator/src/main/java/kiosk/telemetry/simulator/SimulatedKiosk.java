package kiosk.telemetry.simulator;

import kiosk.telemetry.sdk.ErrorCategory;
import kiosk.telemetry.sdk.FunnelStage;
import kiosk.telemetry.sdk.KioskTelemetry;
import kiosk.telemetry.sdk.MetricType;
import kiosk.telemetry.sdk.PaymentMethod;
import kiosk.telemetry.sdk.SalesRecorder;
import kiosk.telemetry.sdk.Session;
import kiosk.telemetry.sdk.SessionStatus;
import kiosk.telemetry.sdk.Severity;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One photo booth driven through the SDK: customers walk the funnel with realistic drop-offs, tap, select and
 * scroll, get timed captures, renders, payments and prints, pay (KRW, with discounts now and then) and sometimes
 * hit a printer jam. Each {@link #step()} plays the session on until one event has been tracked, so the fleet's
 * event rate is the rate at which steps are scheduled.
 */
final class SimulatedKiosk {

    /** Chance of going on to the next stage, from each stage (attract → start ... print → complete). */
    private static final double[] CONTINUE = {0.95, 0.95, 0.94, 0.97, 0.93, 0.97, 0.99};
    private static final PaymentMethod[] METHODS = {PaymentMethod.CARD, PaymentMethod.CARD, PaymentMethod.CARD,
            PaymentMethod.MOBILE, PaymentMethod.QR, PaymentMethod.CASH};

    final String deviceId;
    final KioskTelemetry telemetry;
    final FlakyNetwork network;
    private final SplittableRandom random;
    private final long eventBudget;
    private final int eventsPerStage;
    private final Deque<Runnable> script = new ArrayDeque<>();
    private final Map<SessionStatus, Long> endedAs = new EnumMap<>(SessionStatus.class);
    private Session session;
    private long eventsTracked;
    private boolean appStarted;

    SimulatedKiosk(String deviceId, KioskTelemetry telemetry, FlakyNetwork network, SplittableRandom random,
                   long eventBudget, int eventsPerSession) {
        this.deviceId = deviceId;
        this.telemetry = telemetry;
        this.network = network;
        this.random = random;
        this.eventBudget = eventBudget;
        this.eventsPerStage = Math.max(3, eventsPerSession / FunnelStage.values().length);
    }

    /** True once the kiosk has used its event budget and its last session has ended. */
    synchronized boolean done() {
        return eventsTracked >= eventBudget && session == null;
    }

    synchronized long eventsTracked() {
        return eventsTracked;
    }

    /** How the kiosk's sessions ended, to compare with the statuses the server holds. */
    synchronized Map<SessionStatus, Long> endedAs() {
        return new EnumMap<>(endedAs);
    }

    /** Plays on until one event is tracked (or the budget is used up and the last session has ended). */
    synchronized void step() {
        if (!appStarted) {
            appStarted = true;
            telemetry.performance().record(MetricType.APP_START, null, 1500 + random.nextInt(3000), true,
                    Map.of("loadAssets", 600L + random.nextInt(800)), Map.of("memoryMb", 700 + random.nextInt(300)));
        }
        long before = eventsTracked;
        while (eventsTracked == before) {
            if (script.isEmpty()) {
                if (eventsTracked >= eventBudget) {
                    return;
                }
                planSession();
            }
            script.pollFirst().run();
        }
    }

    private void planSession() {
        session = telemetry.sessions().start("3.2." + random.nextInt(3), Map.of("frameLayout", random.nextBoolean() ? "A" : "B"));
        boolean jamToday = random.nextInt(10) == 0;
        FunnelStage[] stages = FunnelStage.values();
        for (int i = 0; i < stages.length - 1; i++) {
            FunnelStage stage = stages[i];
            if (i > 0) {
                script.add(() -> session.enter(stage));
            }
            planScreen(stage);
            planStageWork(stage, jamToday);
            if (random.nextDouble() >= CONTINUE[i]) {
                planDropOff();
                return;
            }
        }
        script.add(() -> end(SessionStatus.COMPLETED, null));
    }

    private void planScreen(FunnelStage stage) {
        String screen = stage.apiName();
        script.add(() -> track("screen_enter", screen, null));
        int actions = Math.max(1, eventsPerStage - 2 + random.nextInt(3) - 1);
        for (int a = 0; a < actions; a++) {
            int roll = random.nextInt(10);
            if (roll < 6) {
                int x = random.nextInt(1080);
                int y = random.nextInt(1920);
                script.add(() -> track("tap", screen, Map.of("x", x, "y", y, "hitResult", "success")));
            } else if (roll < 8) {
                String target = "frame-" + random.nextInt(12);
                script.add(() -> track("select", screen, Map.of("target", target)));
            } else {
                int depth = random.nextInt(101);
                script.add(() -> track("scroll", screen, Map.of("scrollDepth", depth)));
            }
        }
        script.add(() -> track("screen_exit", screen, null));
    }

    private void planStageWork(FunnelStage stage, boolean jamToday) {
        switch (stage) {
            case CAPTURE -> {
                long shutter = 80 + random.nextInt(100);
                long save = 900 + random.nextInt(2000);
                script.add(() -> telemetry.performance().record(MetricType.CAPTURE, session, shutter + save,
                        random.nextInt(50) != 0, Map.of("shutter", shutter, "save", save), Map.of("cpuPercent", 40 + random.nextInt(50))));
            }
            case EDIT -> script.add(() -> telemetry.performance().record(MetricType.RENDER, session,
                    300 + random.nextInt(1500), true, null, null));
            case PAYMENT -> {
                script.add(() -> telemetry.performance().record(MetricType.PAYMENT, session,
                        2000 + random.nextInt(8000), true, null, null));
                script.add(this::sell);
            }
            case PRINT -> {
                script.add(() -> telemetry.performance().record(MetricType.PRINT, session,
                        8000 + random.nextInt(12000), !jamToday, null, null));
                if (jamToday) {
                    script.add(() -> {
                        telemetry.errors().breadcrumb("hardware", "printer reports tray 2", Map.of("tray", 2));
                        telemetry.errors().report(Severity.ERROR, ErrorCategory.HARDWARE, "PRINTER_JAM",
                                "Printer jam at tray 2", null, session);
                    });
                }
            }
            default -> {
            }
        }
    }

    private void sell() {
        long gross = 5000L * (1 + random.nextInt(3));
        long discount = random.nextInt(4) == 0 ? 1000 : 0;
        long tax = (gross - discount) / 11;
        PaymentMethod method = METHODS[random.nextInt(METHODS.length)];
        telemetry.sales().record(session, "KRW", method, BigDecimal.valueOf(gross), BigDecimal.valueOf(discount),
                BigDecimal.valueOf(tax), BigDecimal.valueOf(gross / 2),
                method == PaymentMethod.CARD ? new SalesRecorder.Settlement("pending", LocalDate.now().plusDays(2)) : null);
    }

    private void planDropOff() {
        int roll = random.nextInt(20);
        if (roll == 0) {
            script.add(() -> {
                telemetry.errors().report(Severity.FATAL, ErrorCategory.SOFTWARE, "RENDER_CRASH",
                        "renderer stopped", new IllegalStateException("simulated renderer crash"), session);
                end(SessionStatus.ERROR, "renderer crashed");
            });
        } else if (roll < 3) {
            script.add(() -> end(SessionStatus.TIMEOUT, "idle"));
        } else {
            script.add(() -> end(SessionStatus.ABANDONED, "walked away"));
        }
    }

    private void track(String type, String screen, Map<String, ?> properties) {
        session.track(type, screen, properties);
        eventsTracked++;
    }

    private void end(SessionStatus status, String reason) {
        session.end(status, reason);
        endedAs.merge(status, 1L, Long::sum);
        session = null;
    }
}
