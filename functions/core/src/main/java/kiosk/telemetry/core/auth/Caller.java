package kiosk.telemetry.core.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling in this request, set by {@link RequestGate} once authentication passed. */
@RequestScoped
public class Caller {

    /** The operator principal of a request authorised by the admin token (local stack, tests). */
    public static final String ADMIN_TOKEN = "admin-token";

    private Device device;
    private String operator;

    void asDevice(Device d) {
        this.device = d;
    }

    void asOperator(String principal) {
        this.operator = principal;
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

    public boolean isOperator() {
        return operator != null;
    }

    /** Who the operator is: the IAM caller's ARN in AWS, {@link #ADMIN_TOKEN} locally; null on kiosk routes. */
    public String operator() {
        return operator;
    }
}
