package kiosk.telemetry.engines;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules every module's main code keeps: types are imported, not written fully qualified in code, except where
 * the file imports another type of the same simple name (a clash that forces one of them to be qualified).
 */
class SourceRulesTest {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.@])(?:java|javax|jakarta|software|io|org|com|kiosk)\\.(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*");
    private static final Pattern IMPORT = Pattern.compile("import ([\\w.]+)\\.(\\w+);");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void mainCode_namesTypesByImport_notFullyQualified() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String root : List.of("functions", "infra", "kiosk-sdk", "kiosk-simulator", "benchmarks")) {
            try (Stream<Path> files = Files.walk(REPO.resolve(root))) {
                files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/")).forEach(sources::add);
            }
        }
        assertTrue(sources.size() > 100, "found the main sources under " + REPO + ": " + sources.size());
        List<String> found = new ArrayList<>();
        for (Path f : sources) {
            List<String> lines = read(f);
            Map<String, String> imported = new HashMap<>();
            for (String line : lines) {
                Matcher im = IMPORT.matcher(line);
                if (im.matches()) {
                    imported.put(im.group(2), im.group(1) + "." + im.group(2));
                }
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("import ") || line.startsWith("package ") || line.startsWith("*") || line.startsWith("//")
                        || line.startsWith("/*")) {
                    continue;
                }
                Matcher m = QUALIFIED.matcher(STRING.matcher(line).replaceAll("\"\""));
                while (m.find()) {
                    String simple = m.group().substring(m.group().lastIndexOf('.') + 1);
                    String other = imported.get(simple);
                    if (other == null || other.equals(m.group())) {
                        found.add(REPO.relativize(f) + ":" + (i + 1) + " " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "import these types instead");
    }

    private static List<String> read(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
