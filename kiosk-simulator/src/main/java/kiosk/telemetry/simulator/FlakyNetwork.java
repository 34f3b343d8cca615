package kiosk.telemetry.simulator;

import kiosk.telemetry.sdk.Transport;

import java.io.IOException;
import java.net.ConnectException;
import java.util.SplittableRandom;

/**
 * One kiosk's network as the simulator spoils it: it can be cut (every request fails to connect, as when the
 * store's uplink is down) and it loses a share of answers after the server has acted on the request (the
 * kiosk sees a timeout and sends again, which the server must count as a duplicate).
 */
public final class FlakyNetwork implements Transport {

    private final Transport inner;
    private final double lostAnswerShare;
    private final SplittableRandom random;
    private volatile boolean offline;
    private long lostAnswers;

    public FlakyNetwork(Transport inner, double lostAnswerShare, SplittableRandom random) {
        this.inner = inner;
        this.lostAnswerShare = lostAnswerShare;
        this.random = random;
    }

    public void offline(boolean cut) {
        this.offline = cut;
    }

    public boolean offline() {
        return offline;
    }

    public synchronized long lostAnswers() {
        return lostAnswers;
    }

    @Override
    public Reply send(String method, String path, String bearerToken, byte[] jsonBody) throws IOException {
        if (offline) {
            throw new ConnectException("simulated outage");
        }
        Reply reply = inner.send(method, path, bearerToken, jsonBody);
        boolean lose;
        synchronized (this) {
            lose = reply.status() < 300 && random.nextDouble() < lostAnswerShare;
            if (lose) {
                lostAnswers++;
            }
        }
        if (lose) {
            throw new IOException("simulated lost answer (the server handled the request)");
        }
        return reply;
    }
}
