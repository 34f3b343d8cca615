package kiosk.telemetry.sdk;

/** How hard each journal write is pushed to the disk. */
public enum Durability {
    /** Every write is forced to the device before the call returns: survives a power cut (the default). */
    SYNC,
    /** Written to the operating system only: survives the app crashing, not the power going. */
    BUFFERED
}
