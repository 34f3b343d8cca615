package kiosk.telemetry.errors;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Where a reported error comes from. */
public enum Category {
    hardware, software, network;

    public static final Set<String> NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());
}
