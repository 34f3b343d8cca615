package kiosk.telemetry.performance;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The operations a kiosk times. */
public enum MetricType {
    app_start, capture, render, print, payment;

    public static final Set<String> NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());
}
