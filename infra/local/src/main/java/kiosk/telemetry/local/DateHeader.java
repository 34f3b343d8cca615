package kiosk.telemetry.local;

import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Adds the HTTP {@code Date} header that API Gateway adds in AWS and the local HTTP server does not: the kiosk
 * SDKs estimate their clock's offset from it (docs/decisions.md, "Kiosk SDK").
 */
public class DateHeader {

    private final Clock clock;

    public DateHeader(Clock clock) {
        this.clock = clock;
    }

    @ServerResponseFilter
    public void addDate(ContainerResponseContext response) {
        if (!response.getHeaders().containsKey("Date")) {
            response.getHeaders().putSingle("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC)));
        }
    }
}
