package kiosk.telemetry.errors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class FingerprintsTest {

    private static final String NPE_CHECKOUT_42 = """
            java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null
            \tat kiosk.app.checkout.Checkout.total(Checkout.java:42)
            \tat kiosk.app.checkout.CheckoutScreen.lambda$onPay$3(CheckoutScreen.java:118)
            \tat kiosk.app.ui.Screen$$Lambda$412/0x00000008012a4c40.run(Unknown Source)
            \tat android.os.Handler.handleCallback(Handler.java:958)""";

    @Test
    void printerJamsOnDifferentTrays_areOneProblem_outOfPaperIsAnother() {
        String a = Fingerprints.of("hardware", "PRINTER_JAM", "Printer jam at tray 2", null);
        String b = Fingerprints.of("hardware", "PRINTER_JAM", "Printer jam at tray 3", null);
        String c = Fingerprints.of("hardware", "PRINTER_OUT_OF_PAPER", "Printer out of paper at tray 2", null);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void networkTimeoutsToDifferentHosts_areOneProblem() {
        String a = Fingerprints.of("network", "TIMEOUT", "Timeout connecting to api.pay.example.com:443 after 30000 ms", null);
        String b = Fingerprints.of("network", "TIMEOUT", "Timeout connecting to api-2.payments.example.net:8443 after 15000 ms", null);
        String c = Fingerprints.of("network", "TIMEOUT", "Timeout connecting to 10.20.0.5:443 after 30000 ms", null);
        String d = Fingerprints.of("network", "TIMEOUT", "Timeout connecting to https://upload.example.io/v1/photos?id=77 after 5 s", null);
        String dnsFailure = Fingerprints.of("network", "DNS", "Unable to resolve host api.pay.example.com", null);
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(Fingerprints.normalizeMessage("Timeout connecting to <url> after 5 s"),
                Fingerprints.normalizeMessage("Timeout connecting to https://upload.example.io/v1/photos?id=77 after 5 s"));
        assertNotEquals(a, d, "a URL is not a host");
        assertNotEquals(a, dnsFailure);
    }

    @Test
    void nullPointersFromDifferentLinesOfTheSameCode_areOneProblem_fromOtherCode_another() {
        String otherLines = NPE_CHECKOUT_42.replace("Checkout.java:42", "Checkout.java:57")
                .replace("CheckoutScreen.java:118", "CheckoutScreen.java:120").replace("Lambda$412/0x00000008012a4c40", "Lambda$97/0x0000000801c3e9a8");
        String otherCode = NPE_CHECKOUT_42.replace("kiosk.app.checkout.Checkout.total(Checkout.java:42)", "kiosk.app.print.Printer.feed(Printer.java:42)");
        String message = "Cannot invoke \"String.length()\" because \"name\" is null";
        String a = Fingerprints.of("software", null, message, NPE_CHECKOUT_42);
        assertEquals(a, Fingerprints.of("software", null, message, otherLines));
        assertNotEquals(a, Fingerprints.of("software", null, message, otherCode));
    }

    @Test
    void idsTimesPathsAndAddressesAreVolatile_categoryAndCodeAreNot() {
        String a = Fingerprints.of("software", "IO", "Failed to open /sdcard/photos/2025/01/19/img_0012.jpg for session "
                + "0b6f2c1e-8d5a-4c3b-9e2f-1a2b3c4d5e6f at 2025-01-19T10:00:00.123+09:00 (buffer 0x7ffe5a3c)", null);
        String b = Fingerprints.of("software", "IO", "Failed to open /data/user/0/photos/img_9.jpg for session "
                + "5a0c1f7e-3b2d-4e6f-8a9b-0c1d2e3f4a5b at 2025-02-01T23:59:59Z (buffer 0x1a2b)", null);
        assertEquals(a, b);
        assertNotEquals(a, Fingerprints.of("hardware", "IO", "Failed to open /sdcard/x/y.jpg for session", null));
        assertNotEquals(Fingerprints.of("software", "IO", "disk full", null), Fingerprints.of("software", "OOM", "disk full", null));
        assertEquals("failed to open <path> for session <uuid> at <ts> (buffer <hex>)",
                Fingerprints.normalizeMessage("Failed to open /sdcard/a/b.jpg for session 0b6f2c1e-8d5a-4c3b-9e2f-1a2b3c4d5e6f at 2025-01-19T10:00:00Z (buffer 0x7f)"));
    }

    @Test
    void onlyTheTopThreeFramesCount() {
        String deeper = NPE_CHECKOUT_42 + "\n\tat android.os.Looper.loop(Looper.java:1)";
        String changedFourth = NPE_CHECKOUT_42.replace("android.os.Handler.handleCallback", "android.os.Other.run");
        assertEquals(Fingerprints.of("software", null, "m", NPE_CHECKOUT_42), Fingerprints.of("software", null, "m", deeper));
        assertEquals(Fingerprints.of("software", null, "m", NPE_CHECKOUT_42), Fingerprints.of("software", null, "m", changedFourth));
        assertEquals(3, Fingerprints.topFrames(NPE_CHECKOUT_42).size());
    }
}
