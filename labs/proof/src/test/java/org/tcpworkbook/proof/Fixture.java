package org.tcpworkbook.proof;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * A deliberately wrong program that a lab's checker must reject, naming the bug: a small variation
 * of the lab's reference solution, kept in {@code labs/proof/fixtures/<name>/}.
 *
 * <p>The folder holds {@value #PROPERTIES} (UTF-8) and Java sources laid out by package
 * ({@code org/tcpworkbook/lab2/ChatClient.java}). Each source file REPLACES the same-named file of
 * {@code solutions/<lab>/src/main/java}; every other file of the solution is kept (an overlay). A
 * source file the solution does not have is a mistake (a misspelt path would otherwise leave the
 * solution intact), and so is any other file in the folder. The keys:
 * <dl>
 *   <dt>{@code lab}</dt><dd>the lab, e.g. {@code lab2}</dd>
 *   <dt>{@code bug}</dt><dd>one line saying what is wrong, for the report</dd>
 *   <dt>{@code expect}, {@code expect.<id>}</dt><dd>at least one; each a Java regex that must be
 *       found ({@link java.util.regex.Matcher#find()}) in the failure message of some failed graded
 *       test: the checker must name the bug, not merely fail. Several keys ({@code expect.1},
 *       {@code expect.2}) must each be matched, possibly by different tests.</dd>
 *   <dt>{@code expect.test}</dt><dd>optional: a regex found in the display name of some failed
 *       graded test ({@code "Lab 2: the chat client > Task 3: ChatClient.receive > ..."})</dd>
 * </dl>
 * As in any .properties file, a backslash must be doubled ({@code \\(}); {@code [(]} avoids it.
 * Messages are matched as they are, line breaks included: use {@code (?s)} for a {@code .} that
 * crosses them.
 *
 * @param name          the folder's name
 * @param dir           the folder
 * @param lab           the lab's folder name
 * @param bug           one line, for the report
 * @param expectations  the {@code expect} and {@code expect.<id>} keys with their patterns, in key order
 * @param expectTest    the {@code expect.test} pattern, if given
 * @param files         the fixture's source files, relative to {@code dir}, sorted
 */
public record Fixture(String name, Path dir, String lab, String bug, Map<String, Pattern> expectations,
                      Optional<Pattern> expectTest, List<Path> files) {

    public static final String PROPERTIES = "fixture.properties";
    static final String EXPECT = "expect";
    static final String EXPECT_TEST = "expect.test";

    public Fixture {
        expectations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expectations));
        files = List.copyOf(files);
    }

    /** {@code labs/proof/fixtures} */
    public static Path folder(Path workbookRoot) {
        return workbookRoot.resolve("labs/proof/fixtures");
    }

    /** Every sub-folder of {@code fixturesFolder}, by name; none if the folder does not exist. Load each with {@link #load}. */
    public static List<Path> folders(Path fixturesFolder) {
        if (!Files.isDirectory(fixturesFolder)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(fixturesFolder)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one fixture folder; throws {@link MalformedFixtureException} naming every mistake in it. */
    public static Fixture load(Path dir) {
        String name = dir.getFileName().toString();
        List<String> mistakes = new ArrayList<>();
        Properties properties = new Properties();
        Path file = dir.resolve(PROPERTIES);
        if (!Files.isRegularFile(file)) {
            mistakes.add("no " + PROPERTIES);
        } else {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (CharacterCodingException e) {
                mistakes.add(PROPERTIES + " is not UTF-8: " + e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String lab = properties.getProperty("lab", "").strip();
        if (!lab.matches("lab\\d+")) {
            mistakes.add("lab must name a lab folder (lab1, lab2, ...), not \"" + lab + "\"");
        }
        String bug = properties.getProperty("bug", "").strip();
        if (bug.isEmpty() || bug.contains("\n") || bug.contains("\r")) {
            mistakes.add("bug must be one line saying what is wrong, not \"" + bug + "\"");
        }
        Map<String, Pattern> expectations = new LinkedHashMap<>();
        Optional<Pattern> expectTest = Optional.empty();
        List<String> keys = properties.stringPropertyNames().stream().sorted(Fixture::compareKeys).toList();
        for (String key : keys) {
            if (key.equals("lab") || key.equals("bug")) {
                continue;
            }
            if (!key.equals(EXPECT) && !key.matches("expect\\.[\\w-]+")) {
                mistakes.add("unknown key " + key + " (the keys are lab, bug, expect, expect.<id>, expect.test)");
                continue;
            }
            String regex = properties.getProperty(key).strip();
            if (regex.isEmpty()) {
                mistakes.add(key + " is empty: it would match any message");
                continue;
            }
            try {
                Pattern pattern = Pattern.compile(regex);
                if (key.equals(EXPECT_TEST)) {
                    expectTest = Optional.of(pattern);
                } else {
                    expectations.put(key, pattern);
                }
            } catch (PatternSyntaxException e) {
                mistakes.add(key + " is not a Java regex (a backslash must be doubled in a .properties file): "
                        + e.getMessage().replace(System.lineSeparator(), " "));
            }
        }
        if (expectations.isEmpty() && mistakes.stream().noneMatch(m -> m.startsWith("expect"))) {
            mistakes.add("no expect key: say what the checker's message must name (expect, or expect.1, expect.2, ...)");
        }

        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).map(dir::relativize).sorted().forEach(relative -> {
                    if (relative.toString().endsWith(".java")) {
                        files.add(relative);
                    } else if (!relative.toString().equals(PROPERTIES)) {
                        mistakes.add(relative + " is neither " + PROPERTIES + " nor a .java source");
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            mistakes.add("not a folder");
        }
        if (!mistakes.isEmpty()) {
            throw new MalformedFixtureException("fixture " + name + " (" + dir + "):\n  " + String.join("\n  ", mistakes));
        }
        return new Fixture(name, dir, lab, bug, expectations, expectTest, files);
    }

    /** {@code expect} first, then {@code expect.<id>} with numbers in numeric order, {@code expect.test} last. */
    private static int compareKeys(String a, String b) {
        return Comparator.<String>comparingInt(k -> k.equals(EXPECT) ? 0 : k.equals(EXPECT_TEST) ? 2 : 1)
                .thenComparingInt(k -> k.matches("expect\\.\\d{1,9}") ? Integer.parseInt(k.substring(7)) : Integer.MAX_VALUE)
                .thenComparing(Comparator.naturalOrder())
                .compare(a, b);
    }

    /**
     * Writes the lab's solution with this fixture's files in place of the same-named ones into
     * {@code into} (created; it should not exist or be empty), and returns it: the main folder to
     * compile.
     */
    public Path overlay(LabLayout layout, Path into) {
        if (!layout.name().equals(lab)) {
            throw new IllegalArgumentException("fixture " + name + " is of " + lab + ", not " + layout.name());
        }
        if (!layout.hasSolution()) {
            throw new MalformedFixtureException("fixture " + name + ": " + lab + " has no solution to vary (" + layout.solution() + ")");
        }
        List<String> strays = files.stream().filter(f -> !Files.isRegularFile(layout.solution().resolve(f.toString())))
                .map(f -> f + " replaces nothing: " + layout.solution().resolve(f.toString()) + " does not exist")
                .toList();
        if (!strays.isEmpty()) {
            throw new MalformedFixtureException("fixture " + name + " (" + dir + "): a fixture only replaces files of the"
                    + " solution (is the package path right?):\n  " + String.join("\n  ", strays));
        }
        try {
            Files.createDirectories(into);
            try (Stream<Path> walk = Files.walk(layout.solution())) {
                for (Path source : walk.filter(Files::isRegularFile).toList()) {
                    copy(source, into.resolve(layout.solution().relativize(source).toString()));
                }
            }
            for (Path file : files) {
                copy(dir.resolve(file), into.resolve(file.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String toString() {
        return name + " (" + lab + "): " + bug;
    }

    /** The folder does not follow the format; the message lists every mistake. */
    public static final class MalformedFixtureException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MalformedFixtureException(String message) {
            super(message);
        }
    }
}
