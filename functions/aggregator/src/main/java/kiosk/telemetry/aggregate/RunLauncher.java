package kiosk.telemetry.aggregate;

/** Starts the execution of a created run without making the caller wait for it. */
public interface RunLauncher {
    void launch(String runId);
}
