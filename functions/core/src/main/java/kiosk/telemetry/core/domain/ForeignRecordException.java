package kiosk.telemetry.core.domain;

/** A record (a session) that belongs to another device than the caller. */
public class ForeignRecordException extends RuntimeException {

    public ForeignRecordException(String kind, String id) {
        super(kind + " " + id + " belongs to another device", null, false, false);
    }
}
