package kiosk.telemetry.core.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operator route that is not published on the HTTP API: in AWS only a direct invocation of the function
 * (the schedule, the function's own async call) reaches it; locally it takes the admin token like any
 * operator route. The template checks skip it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface DirectInvokeOnly {
}
