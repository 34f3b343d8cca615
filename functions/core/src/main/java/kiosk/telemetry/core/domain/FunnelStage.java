package kiosk.telemetry.core.domain;

/** The eight funnel stages, in order. Reaching a stage implies reaching every stage before it. */
public enum FunnelStage {
    attract, start, frame_select, capture, edit, payment, print, complete
}
