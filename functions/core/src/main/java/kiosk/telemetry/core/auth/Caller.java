package kiosk.telemetry.core.auth;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling in this request, set by {@link RequestGate} once authentication passed. */
@RequestScoped
public class Caller {

    private Device device;
    private boolean operator;

    void asDevice(Device d) {
        this.device = d;
    }

    void asOperator() {
        this.operator = true;
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
        return operator;
    }
}
