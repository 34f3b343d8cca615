package kiosk.telemetry.core.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A read route that checks a store-limited caller's reach itself, through {@link StoreScope}. Only such routes
 * answer a caller limited to some stores or groups; {@link RequestGate} refuses every other route to them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StoreScoped {
}
