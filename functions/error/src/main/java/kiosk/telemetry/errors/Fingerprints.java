package kiosk.telemetry.errors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Groups the same problem across kiosks: SHA-256 over the category, the code, the message and the top three
 * stack frames, each with its volatile parts replaced by placeholders (see docs/errors.md). Plain class.
 */
public final class Fingerprints {

    static final int TOP_FRAMES = 3;

    private static final Pattern UUID = Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\b\\d{4}-\\d{2}-\\d{2}(?:[Tt ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:[Zz]|[+-]\\d{2}:?\\d{2})?)?\\b");
    private static final Pattern TIME = Pattern.compile("\\b\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\b");
    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]+");
    private static final Pattern IP = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b");
    private static final Pattern HOST = Pattern.compile(
            "\\b(?:[a-zA-Z0-9-]+\\.)+(?:com|net|org|io|dev|app|cloud|local|internal|lan|kr|jp|cn|us|eu|co)(?::\\d+)?\\b");
    private static final Pattern UNIX_PATH = Pattern.compile("(?<![\\w.])(?:/[\\w.@%+-]+){2,}/?");
    private static final Pattern WINDOWS_PATH = Pattern.compile("\\b[a-zA-Z]:\\\\[^\\s\"'<>]*");
    private static final Pattern HEX = Pattern.compile("\\b0x[0-9a-fA-F]+\\b|\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern LINE_NUMBER = Pattern.compile(":\\d+\\)");
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda[$/][^.(\\s]*");
    private static final Pattern FRAME = Pattern.compile("^\\s*at\\s+(.+)$");

    private Fingerprints() {
    }

    public static String of(String category, String code, String message, String stack) {
        StringBuilder basis = new StringBuilder();
        basis.append(category).append('\n').append(code == null ? "" : code).append('\n').append(normalizeMessage(message));
        for (String frame : topFrames(stack)) {
            basis.append('\n').append(frame);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(basis.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message with ids, times, addresses, paths and numbers replaced; lower case, single spaces. */
    static String normalizeMessage(String message) {
        String x = message;
        x = UUID.matcher(x).replaceAll("<uuid>");
        x = URL.matcher(x).replaceAll("<url>");
        x = TIMESTAMP.matcher(x).replaceAll("<ts>");
        x = TIME.matcher(x).replaceAll("<ts>");
        x = IP.matcher(x).replaceAll("<host>");
        x = HOST.matcher(x).replaceAll("<host>");
        x = WINDOWS_PATH.matcher(x).replaceAll("<path>");
        x = UNIX_PATH.matcher(x).replaceAll("<path>");
        x = HEX.matcher(x).replaceAll("<hex>");
        x = NUMBER.matcher(x).replaceAll("<n>");
        return SPACES.matcher(x.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }

    /**
     * The first {@value #TOP_FRAMES} frames: lines of the form {@code at pkg.Class.method(File.java:12)} (other
     * runtimes: the lines after the first), without line numbers, lambda ids, addresses or numbers.
     */
    static List<String> topFrames(String stack) {
        List<String> frames = new ArrayList<>();
        if (stack == null || stack.isBlank()) {
            return frames;
        }
        String[] lines = stack.split("\\R");
        for (String line : lines) {
            var m = FRAME.matcher(line);
            if (m.matches()) {
                frames.add(normalizeFrame(m.group(1)));
                if (frames.size() == TOP_FRAMES) {
                    return frames;
                }
            }
        }
        if (frames.isEmpty()) {
            for (int i = 1; i < lines.length && frames.size() < TOP_FRAMES; i++) {
                if (!lines[i].isBlank()) {
                    frames.add(normalizeFrame(lines[i].trim()));
                }
            }
        }
        return frames;
    }

    private static String normalizeFrame(String frame) {
        String x = LINE_NUMBER.matcher(frame).replaceAll(")");
        x = LAMBDA.matcher(x).replaceAll("\\$\\$Lambda");
        x = HEX.matcher(x).replaceAll("<hex>");
        x = NUMBER.matcher(x).replaceAll("<n>");
        return SPACES.matcher(x).replaceAll(" ").trim();
    }
}
