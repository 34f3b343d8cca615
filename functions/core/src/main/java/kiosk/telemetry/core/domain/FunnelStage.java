package kiosk.telemetry.core.domain;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The eight funnel stages, in order. Reaching a stage implies reaching every stage before it. */
public enum FunnelStage {
    attract, start, frame_select, capture, edit, payment, print, complete;

    public static final Set<String> NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());
}
