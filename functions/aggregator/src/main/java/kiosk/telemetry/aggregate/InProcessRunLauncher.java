package kiosk.telemetry.aggregate;

import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/** Local stack and tests: the run executes on a background thread of this process. */
public final class InProcessRunLauncher implements RunLauncher {

    private final ExecutorService executor;
    private final Consumer<String> execute;

    public InProcessRunLauncher(ExecutorService executor, Consumer<String> execute) {
        this.executor = executor;
        this.execute = execute;
    }

    @Override
    public void launch(String runId) {
        executor.submit(() -> execute.accept(runId));
    }
}
