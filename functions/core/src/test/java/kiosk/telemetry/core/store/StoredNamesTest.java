package kiosk.telemetry.core.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record definitions of {@code kiosk.telemetry.core.store} are the only place a stored attribute is named. The
 * functions' main code that talks to DynamoDB (imports its SDK) holds no string literal equal to an attribute name;
 * tests and benchmarks hold none on lines that build, key or read an item (their other lines write API bodies, whose
 * field names are the API's). {@code infra/engines} is left out: it runs DynamoDB Local for any table and knows none
 * of ours.
 */
class StoredNamesTest {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    private static final Path DEFINITIONS = REPO.resolve("functions/core/src/main/java/kiosk/telemetry/core/store");
    private static final Pattern STRING = Pattern.compile("\"((?:\\\\.|[^\"\\\\])*)\"");
    /** Lines of test code that build, key or read a stored item. */
    private static final Pattern ITEM_LINE = Pattern.compile(
            "AttributeValue\\.|AttributeValue>|Attr\\.|fromS\\(|fromN\\(|fromBool\\(|expressionAttribute|keyCondition|\\.item\\(|\\.key\\(|\\.s\\(\\)|\\.n\\(\\)"
                    + "|\\.bool\\(\\)|projectionExpression|filterExpression|Map<String, AttributeValue>");
    /** Lines that write a condition, key condition, filter, projection or update expression. */
    private static final Pattern EXPRESSION_LINE = Pattern.compile("(?i)expression\\(");
    private static final String DYNAMO_SDK = "import software.amazon.awssdk.services.dynamodb";

    @Test
    void everyStoredAttribute_isNamedOnlyInItsDefinition() throws Exception {
        Set<String> names = attributeNames();
        assertTrue(names.contains("sessionId") && names.contains("dayShard") && names.size() > 60, "read the definitions: " + names);

        List<String> found = new ArrayList<>();
        int mainFiles = 0;
        for (Path f : sources()) {
            String path = REPO.relativize(f).toString();
            if (f.startsWith(DEFINITIONS)) {
                continue;
            }
            List<String> lines = Files.readAllLines(f);
            if (lines.stream().noneMatch(l -> l.startsWith(DYNAMO_SDK))) {
                continue;
            }
            boolean main = path.startsWith("functions/") && path.contains("/src/main/java/");
            mainFiles += main ? 1 : 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("import ") || line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                    continue;
                }
                if (!main && !ITEM_LINE.matcher(line).find()) {
                    continue;
                }
                boolean expression = EXPRESSION_LINE.matcher(line).find();
                Matcher m = STRING.matcher(line);
                while (m.find()) {
                    if (names.contains(m.group(1))) {
                        found.add(path + ":" + (i + 1) + ": \"" + m.group(1) + "\"");
                    } else if (expression) {
                        // an expression names attributes through #placeholders, never directly
                        for (String word : m.group(1).split("[^A-Za-z0-9_#:]+")) {
                            if (names.contains(word)) {
                                found.add(path + ":" + (i + 1) + ": " + word + " in \"" + m.group(1) + "\"");
                            }
                        }
                    }
                }
            }
        }
        assertTrue(mainFiles > 20, "found the DynamoDB code under " + REPO + ": " + mainFiles + " files");
        assertEquals(List.of(), found, "stored attribute names written outside their definitions (use the definition's Attribute)");
    }

    @Test
    void everyDefinition_namesEachAttributeOnce() throws Exception {
        for (Class<?> c : definitions()) {
            Set<String> seen = new TreeSet<>();
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof Attribute<?> a && seen.contains(a.name())
                        && !isAlias(c, f, a)) {
                    throw new AssertionError(c.getSimpleName() + " names " + a.name() + " twice");
                }
                if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof Attribute<?> a) {
                    seen.add(a.name());
                }
            }
        }
    }

    /** Two fields may hold the same attribute object (a re-exported dimension), never two attributes of one name. */
    private static boolean isAlias(Class<?> c, Field f, Attribute<?> a) throws IllegalAccessException {
        for (Field other : c.getFields()) {
            if (other != f && Modifier.isStatic(other.getModifiers()) && other.get(null) == a) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> attributeNames() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : definitions()) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof Attribute<?> a) {
                    names.add(a.name());
                }
            }
        }
        return names;
    }

    private static List<Class<?>> definitions() throws Exception {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEFINITIONS)) {
            for (Path f : files.sorted().toList()) {
                String simple = f.getFileName().toString().replace(".java", "");
                out.add(Class.forName(StoredNamesTest.class.getPackageName() + "." + simple));
            }
        }
        return out;
    }

    private static List<Path> sources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String root : List.of("functions", "infra/local", "benchmarks", "kiosk-simulator")) {
            try (Stream<Path> files = Files.walk(REPO.resolve(root))) {
                files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/")).forEach(out::add);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return out;
    }
}
