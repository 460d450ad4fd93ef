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
 * <p>The folder holds {@value #PROPERTIES} (UTF-8) and one patch per changed class,
 * {@code <ClassName>.java.patch}: a unified diff ({@code diff -u solution mutant}) of the
 * same-named file of {@code solutions/<lab>/src/main/java} (found by its name; the diff's header
 * lines are ignored). Each hunk applies with its context exactly as written, wherever it now is
 * in the file (an edit elsewhere in the solution moves it, and does not break it); every other file
 * of the solution is kept. A hunk whose lines are nowhere in the file, a patch of a class the
 * solution does not have, a whole copy of a source and any other file in the folder are refused.
 * The keys:
 * <dl>
 *   <dt>{@code lab}</dt><dd>the lab, e.g. {@code lab2}</dd>
 *   <dt>{@code bug}</dt><dd>one line saying what is wrong, for the report</dd>
 *   <dt>{@code expect}, {@code expect.<id>}</dt><dd>at least one; each a Java regex that must be
 *       found ({@link java.util.regex.Matcher#find()}) in the failure message of some failed graded
 *       test: the checker must name the bug, not merely fail. Several keys ({@code expect.1},
 *       {@code expect.2}) must each be matched, possibly by different tests.</dd>
 *   <dt>{@code expect.test}</dt><dd>a regex found in the display name of some failed graded test
 *       ({@code "Lab 2: the chat client > Task 3: ChatClient.receive > ..."}); the checks it names
 *       run first, and the whole checker only if they do not reject the fixture</dd>
 *   <dt>{@code runs}</dt><dd>optional, default 1: how many times the fixture is run; it must be
 *       rejected every time. {@code race} and {@code leak} fixtures need {@value #RATE_RUNS} or more.</dd>
 *   <dt>{@code leak}</dt><dd>optional, {@code true} or {@code false}: a mutant that leaves a socket
 *       open; its runs are repeated in a JVM with a small heap and a collection forced before each
 *       leak check</dd>
 *   <dt>{@code race}</dt><dd>optional, {@code true} or {@code false}: a concurrency mutant</dd>
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
 * @param patches       the fixture's patch files, relative to {@code dir}, sorted
 * @param runs          how many times it is run, each run judged
 * @param leak          a socket-leak mutant
 * @param race          a concurrency mutant
 */
public record Fixture(String name, Path dir, String lab, String bug, Map<String, Pattern> expectations,
                      Optional<Pattern> expectTest, List<Path> patches, int runs, boolean leak, boolean race) {

    public static final String PROPERTIES = "fixture.properties";
    public static final String PATCH = ".java.patch";
    static final String EXPECT = "expect";
    static final String EXPECT_TEST = "expect.test";
    /** The fewest runs a race or leak mutant's rate is measured over. */
    static final int RATE_RUNS = 20;
    static final int MAX_RUNS = 1000;
    private static final List<String> FLAGS = List.of("lab", "bug", "runs", "leak", "race");

    public Fixture {
        expectations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expectations));
        patches = List.copyOf(patches);
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be positive: " + runs);
        }
    }

    /** This fixture as a run of {@code times} runs (a command-line override). */
    public Fixture withRuns(int times) {
        return new Fixture(name, dir, lab, bug, expectations, expectTest, patches, times, leak, race);
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
            Path root = fixturesFolder.toAbsolutePath().normalize().getParent().getParent().getParent();
            return dirs.filter(Files::isDirectory).sorted()
                    .filter(dir -> runnableHere(root, dir))                 // lab 7's mutants need JDK 21
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this JDK can compile the lab the fixture's folder name starts with ({@code lab7-...}). */
    private static boolean runnableHere(Path workbookRoot, Path dir) {
        java.util.regex.Matcher lab = java.util.regex.Pattern.compile("^(lab\\d+)-").matcher(dir.getFileName().toString());
        return !lab.find() || LabLayout.runnableHere(workbookRoot, lab.group(1));
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
            if (FLAGS.contains(key)) {
                continue;
            }
            if (!key.equals(EXPECT) && !key.matches("expect\\.[\\w-]+")) {
                mistakes.add("unknown key " + key + " (the keys are lab, bug, expect, expect.<id>, expect.test, runs, leak, race)");
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
        int runs = 1;
        String runsValue = properties.getProperty("runs", "1").strip();
        if (runsValue.matches("\\d{1,4}") && Integer.parseInt(runsValue) >= 1 && Integer.parseInt(runsValue) <= MAX_RUNS) {
            runs = Integer.parseInt(runsValue);
        } else {
            mistakes.add("runs must be a whole number from 1 to " + MAX_RUNS + ", not \"" + runsValue + "\"");
        }
        boolean leak = flag(properties, "leak", mistakes);
        boolean race = flag(properties, "race", mistakes);
        if ((leak || race) && runs < RATE_RUNS && mistakes.stream().noneMatch(m -> m.startsWith("runs"))) {
            mistakes.add((leak ? "leak" : "race") + "=true needs runs=" + RATE_RUNS + " or more, not " + runs
                    + ": such a mutant must be rejected on every run, and one run proves nothing of that");
        }

        List<Path> patches = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).map(dir::relativize).sorted().forEach(relative -> {
                    String path = relative.toString();
                    if (relative.getNameCount() == 1 && path.endsWith(PATCH) && path.length() > PATCH.length()) {
                        patches.add(relative);
                    } else if (path.endsWith(".java")) {
                        String source = relative.getFileName().toString();
                        mistakes.add(path + " is a whole copy of a source, a form no longer read: store the mutant as a patch of"
                                + " the solution's file, " + source + ".patch in this folder (diff -u solutions/" + lab
                                + "/src/main/java/.../" + source + " " + path + " > " + source + ".patch)");
                    } else if (!path.equals(PROPERTIES)) {
                        mistakes.add(path + " is neither " + PROPERTIES + " nor a <ClassName>" + PATCH + " beside it");
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
        return new Fixture(name, dir, lab, bug, expectations, expectTest, patches, runs, leak, race);
    }

    private static boolean flag(Properties properties, String key, List<String> mistakes) {
        String value = properties.getProperty(key, "false").strip();
        if (!value.equals("true") && !value.equals("false")) {
            mistakes.add(key + " must be true or false, not \"" + value + "\"");
        }
        return value.equals("true");
    }

    /** {@code expect} first, then {@code expect.<id>} with numbers in numeric order, {@code expect.test} last. */
    private static int compareKeys(String a, String b) {
        return Comparator.<String>comparingInt(k -> k.equals(EXPECT) ? 0 : k.equals(EXPECT_TEST) ? 2 : 1)
                .thenComparingInt(k -> k.matches("expect\\.\\d{1,9}") ? Integer.parseInt(k.substring(7)) : Integer.MAX_VALUE)
                .thenComparing(Comparator.naturalOrder())
                .compare(a, b);
    }

    /**
     * Writes the lab's solution with this fixture's patches applied into {@code into} (created; it
     * should not exist or be empty), and returns it: the main folder to compile.
     *
     * @throws MalformedFixtureException if a patch names no class of the solution, or a hunk of it
     *         is found nowhere in the file (the message names the fixture, the patch and the hunk)
     */
    public Path apply(LabLayout layout, Path into) {
        if (!layout.name().equals(lab)) {
            throw new IllegalArgumentException("fixture " + name + " is of " + lab + ", not " + layout.name());
        }
        if (!layout.hasSolution()) {
            throw new MalformedFixtureException("fixture " + name + ": " + lab + " has no solution to vary (" + layout.solution() + ")");
        }
        try {
            Files.createDirectories(into);
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(layout.solution())) {
                sources = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path source : sources) {
                copy(source, into.resolve(layout.solution().relativize(source).toString()));
            }
            List<String> mistakes = new ArrayList<>();
            for (Path patch : patches) {
                String target = patch.getFileName().toString();
                target = target.substring(0, target.length() - ".patch".length());
                String className = target;
                List<Path> matching = sources.stream().filter(s -> s.getFileName().toString().equals(className)).toList();
                if (matching.size() != 1) {
                    mistakes.add(patch + (matching.isEmpty() ? " patches nothing: the solution (" + layout.solution()
                            + ") has no " + target : " is ambiguous: the solution has several " + target + ": " + matching));
                    continue;
                }
                Path file = into.resolve(layout.solution().relativize(matching.get(0)).toString());
                try {
                    SourcePatch.read(dir.resolve(patch)).applyTo(file);
                } catch (SourcePatch.PatchException e) {
                    mistakes.add(patch + " does not apply to " + matching.get(0) + ": " + e.getMessage());
                }
            }
            if (!mistakes.isEmpty()) {
                throw new MalformedFixtureException("fixture " + name + " (" + dir + "):\n  " + String.join("\n  ", mistakes));
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
