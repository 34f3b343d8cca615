package kiosk.telemetry.errors;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** How bad a reported error is. */
public enum Severity {
    fatal, error, warning, info;

    public static final Set<String> NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());
}
