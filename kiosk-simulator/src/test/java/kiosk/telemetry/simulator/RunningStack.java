package kiosk.telemetry.simulator;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The packaged local stack in a child process, in memory, on a free port: what README's run command starts. */
final class RunningStack implements AutoCloseable {

    final URI uri;
    final String adminToken = "sim-it-admin-token";
    private final Process process;
    private final Path log;

    private RunningStack(URI uri, Process process, Path log) {
        this.uri = uri;
        this.process = process;
        this.log = log;
    }

    static RunningStack start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("sim-local-stack", ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("local.stack.jar")).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TELEMETRY_PORT", Integer.toString(port));
        pb.environment().put("TELEMETRY_IN_MEMORY", "true");
        pb.environment().put("TELEMETRY_ADMIN_TOKEN", "sim-it-admin-token");
        RunningStack stack = new RunningStack(URI.create("http://127.0.0.1:" + port), pb.start(), log);
        stack.awaitHealthy();
        return stack;
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("local stack exited: " + Files.readString(log));
            }
            try {
                var r = http.send(HttpRequest.newBuilder(uri.resolve("/q/health")).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("local stack not healthy in 120 s: " + Files.readString(log));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
    }
}
