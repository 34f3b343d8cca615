package kiosk.telemetry.core.domain;

/** What a first-write-wins put of a kiosk-created id came to. */
public enum Recorded {
    NEW, DUPLICATE, TAKEN_BY_OTHER_DEVICE;

    /**
     * From a conditional put: created, or the stored record's owner compared with the caller. An owner the store did
     * not return ({@code null}) cannot be shown to be the caller's, so the id counts as another device's.
     */
    public static Recorded of(boolean created, String storedOwner, String caller) {
        if (created) {
            return NEW;
        }
        return caller.equals(storedOwner) ? DUPLICATE : TAKEN_BY_OTHER_DEVICE;
    }

    /** The outcome for the record {@code kind} {@code id} ("session", "metric", ...), with the body a success answers with. */
    public <T> Recording<T> of(String kind, String id, T body) {
        return new Recording<>(this, kind, id, body);
    }

    public record Recording<T>(Recorded outcome, String kind, String id, T body) {
    }
}
