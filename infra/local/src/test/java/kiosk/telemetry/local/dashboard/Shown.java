package kiosk.telemetry.local.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads a number as the page shows it in English (US): "1,234", "66.7%", "₩1,234,567", "$1,234.56", "+12.5%",
 * "−0.25", and checks it against the API's exact figure: equal once the API's figure is rounded to the digits
 * shown (half a unit of the last digit either way, so a tie may round up or down).
 */
final class Shown {

    private static final Pattern NUMBER = Pattern.compile("([-+\u2212]?)\\s*[^\\d\\s]{0,3}\\s*([\\d,]*\\.?\\d+)");

    private Shown() {
    }

    static BigDecimal number(String text) {
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            fail("no number in '" + text + "'");
        }
        BigDecimal v = new BigDecimal(m.group(2).replace(",", ""));
        return m.group(1).isEmpty() || m.group(1).equals("+") ? v : v.negate();
    }

    /** The text shows {@code exact} (times {@code scale}, e.g. 100 for a percentage) to its own precision. */
    static void assertShows(BigDecimal exact, String text, String what) {
        BigDecimal shown = number(text);
        BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(Math.max(shown.scale(), 0)).divide(BigDecimal.valueOf(2));
        BigDecimal diff = shown.subtract(exact).abs();
        assertTrue(diff.compareTo(halfUnit.add(new BigDecimal("1e-9"))) <= 0,
                what + ": the page shows '" + text + "', the API says " + exact.stripTrailingZeros().toPlainString());
    }

    static void assertShows(JsonNode exact, String text, String what) {
        assertShows(new BigDecimal(exact.asText()), text, what);
    }

    /** A fraction (0.6667) shown as a percentage ("66.7%"). */
    static void assertShowsPercent(JsonNode fraction, String text, String what) {
        assertTrue(text.contains("%"), what + " is a percentage: " + text);
        assertShows(new BigDecimal(fraction.asText()).movePointRight(2), text, what);
    }
}
