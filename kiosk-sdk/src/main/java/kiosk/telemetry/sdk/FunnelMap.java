package kiosk.telemetry.sdk;

import java.util.Map;
import java.util.Optional;

/**
 * Which screen of the app belongs to which funnel stage. With a map given to the SDK
 * ({@code KioskTelemetry.Builder#funnelMap}), {@link Session#screen} and a tracked {@code screen_enter} move the
 * session to the screen's stage by themselves, and {@link Session#progress()} tells how far the customer got.
 * Screens not in the map leave the stage as it is.
 */
public final class FunnelMap {

    private final Map<String, FunnelStage> stageByScreen;

    private FunnelMap(Map<String, FunnelStage> stageByScreen) {
        this.stageByScreen = Map.copyOf(stageByScreen);
    }

    /** For example {@code FunnelMap.of(Map.of("home", ATTRACT, "frames", FRAME_SELECT, "camera", CAPTURE))}. */
    public static FunnelMap of(Map<String, FunnelStage> stageByScreen) {
        return new FunnelMap(stageByScreen);
    }

    /** No screens mapped. */
    public static FunnelMap none() {
        return new FunnelMap(Map.of());
    }

    public Optional<FunnelStage> stageOf(String screen) {
        return screen == null ? Optional.empty() : Optional.ofNullable(stageByScreen.get(screen));
    }

    /**
     * The share of the funnel a stage stands for: {@code attract} 0, each stage after it one seventh more,
     * {@code complete} 1.
     */
    public static double progressOf(FunnelStage furthest) {
        if (furthest == null) {
            return 0;
        }
        return (double) furthest.ordinal() / FunnelStage.COMPLETE.ordinal();
    }
}
