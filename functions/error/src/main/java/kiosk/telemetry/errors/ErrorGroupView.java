package kiosk.telemetry.errors;

/** One fingerprint: how often, on how many kiosks, when, and whether it is open, resolved or regressed. */
public record ErrorGroupView(String fingerprint, String category, String code, String sampleMessage, String sampleErrorId,
                             long count, long devices, String firstSeen, String lastSeen, String status,
                             String resolvedAt, String resolvedBy, String note) {
}
