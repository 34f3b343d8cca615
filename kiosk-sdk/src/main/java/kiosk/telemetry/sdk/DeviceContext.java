package kiosk.telemetry.sdk;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device figures a timing carries in {@code context} by default, where the platform gives them:
 * {@code memoryMb} (the app's heap in use), {@code cpuPercent} (this process' recent CPU load, 0–100, on JVMs that
 * offer {@code com.sun.management.OperatingSystemMXBean}) and {@code systemMemoryFreeMb}. Figures the platform
 * does not give are left out. The app's own {@code context} keys win.
 */
final class DeviceContext {

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    Map<String, Object> now() {
        Map<String, Object> m = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        m.put("memoryMb", (rt.totalMemory() - rt.freeMemory()) >> 20);
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = sun.getProcessCpuLoad();
            if (load >= 0) {
                m.put("cpuPercent", Math.round(load * 1000) / 10.0);
            }
            long free = sun.getFreeMemorySize();
            if (free > 0) {
                m.put("systemMemoryFreeMb", free >> 20);
            }
        }
        return m;
    }
}
