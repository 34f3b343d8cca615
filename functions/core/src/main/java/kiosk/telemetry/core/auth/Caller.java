package kiosk.telemetry.core.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling in this request, set by {@link RequestGate} once authentication passed. */
@RequestScoped
public class Caller {

    /** The principal of a request authorised by the admin token (local stack, tests). */
    public static final String ADMIN_TOKEN = "admin-token";

    private Device device;
    private Access access;

    /** A staff caller outside a request (code that calls resources directly, as tests do). */
    public static Caller staff(Access access) {
        Caller c = new Caller();
        c.asStaff(access);
        return c;
    }

    void asDevice(Device d) {
        this.device = d;
    }

    void asStaff(Access a) {
        this.access = a;
    }

    /** The calling kiosk; only on kiosk routes. */
    public Device device() {
        if (device == null) {
            throw new IllegalStateException("not a kiosk route");
        }
        return device;
    }

    public boolean isDevice() {
        return device != null;
    }

    /** The caller's role and reach; only on staff (operator and viewer) routes. */
    public Access access() {
        if (access == null) {
            throw new IllegalStateException("not a staff route");
        }
        return access;
    }

    /**
     * Who the staff caller is: the IAM caller's ARN or the signed-in user in AWS, {@link #ADMIN_TOKEN} or a local
     * user's name locally; null on kiosk routes.
     */
    public String operator() {
        return access == null ? null : access.principal();
    }
}
