package kiosk.telemetry.sdk;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A transport that can be cut like a network cable: while offline every request fails to connect. */
final class SwitchableNetwork implements Transport {
    private final Transport inner;
    private final AtomicBoolean online = new AtomicBoolean(true);
    final AtomicInteger refused = new AtomicInteger();

    SwitchableNetwork(Transport inner) {
        this.inner = inner;
    }

    void online(boolean on) {
        online.set(on);
    }

    @Override
    public Reply send(String method, String path, String bearerToken, byte[] jsonBody) throws IOException {
        if (!online.get()) {
            refused.incrementAndGet();
            throw new ConnectException("network is down (test)");
        }
        return inner.send(method, path, bearerToken, jsonBody);
    }
}
