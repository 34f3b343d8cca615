package kiosk.telemetry.sdk;

import java.util.Locale;

/** The contract's eight funnel stages, in order. */
public enum FunnelStage {
    ATTRACT, START, FRAME_SELECT, CAPTURE, EDIT, PAYMENT, PRINT, COMPLETE;

    /** The name on the wire ({@code frame_select}). */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
