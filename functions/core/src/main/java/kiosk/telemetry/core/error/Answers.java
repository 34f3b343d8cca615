package kiosk.telemetry.core.error;

import jakarta.ws.rs.core.Response;
import kiosk.telemetry.core.batch.BatchResult;
import kiosk.telemetry.core.domain.Recorded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HTTP status of a domain outcome, decided once for every route that reports one. */
public final class Answers {

    private Answers() {
    }

    /** A kiosk-created record: 201 when new, 200 for the same device's repeat, 409 when another device holds the id. */
    public static Response recorded(Recorded.Recording<?> r) {
        return switch (r.outcome()) {
            case NEW -> Response.status(201).entity(r.body()).build();
            case DUPLICATE -> Response.ok(r.body()).build();
            case TAKEN_BY_OTHER_DEVICE -> throw ApiException.conflict(r.kind() + " " + r.id() + " already exists for another device");
        };
    }

    /**
     * A batch: 200 with the per-item answer; 503 problem (with the same members and {@code retry}) when any write
     * must be retried; 400 problem (with {@code rejected}) when every item was rejected.
     */
    public static BatchResult batch(BatchResult r) {
        if (r.retry() != null && !r.retry().isEmpty()) {
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("accepted", r.accepted());
            ext.put("duplicates", r.duplicates());
            ext.put("rejected", r.rejected());
            ext.put("retry", r.retry());
            throw new ApiException(503, "Service Unavailable",
                    r.retry().size() + " item(s) could not be written now; send the items listed in retry again", List.of(), ext);
        }
        if (r.accepted() == 0 && r.duplicates() == 0 && !r.rejected().isEmpty()) {
            throw new ApiException(400, "Bad Request", "every item was rejected", List.of(), Map.of("rejected", r.rejected()));
        }
        return new BatchResult(r.accepted(), r.duplicates(), r.rejected(), null);
    }
}
