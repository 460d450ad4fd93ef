package org.tcpworkbook.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.tcpworkbook.proof.CheckerResult.Status;
import org.tcpworkbook.proof.CheckerResult.TestOutcome;

/**
 * The other half of {@code verify -Psolutions}: every lab's checker, run against the untouched
 * skeleton, fails, task by task. A checker test that passes there grades nothing.
 *
 * <p>The convention checked: every graded test carries a {@code task-N} tag (its own or inherited
 * from an enclosing class) and fails on the skeleton with a message that links the notes
 * ({@code labN.html#...}); a test that legitimately passes on the skeleton is tagged
 * {@code ungraded}; every task has at least one failing test.
 * Run with {@code -Dproof.verbose=true} to print every test's outcome and message.
 */
class SkeletonsFailTest {

    static final Path ROOT = LabLayout.workbookRoot();
    static final String UNGRADED = "ungraded";

    static LabCompiler compiler;

    @TempDir
    static Path work;

    @BeforeAll
    static void openCompiler() {
        compiler = new LabCompiler();
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    @TestFactory
    Stream<DynamicTest> every_checker_fails_on_its_untouched_skeleton() {
        String only = System.getProperty("proof.skeletons", "lab\\d+");   // e.g. -Dproof.skeletons=lab7 while writing a lab
        List<LabLayout> labs = LabLayout.all(ROOT).stream().filter(lab -> lab.name().matches(only)).toList();
        assertThat(labs).as("labs with a pom.xml in %s/labs/lab*/", ROOT).isNotEmpty();
        return labs.stream().map(lab -> dynamicTest(lab.name() + ": the checker rejects the skeleton", () -> {
            long start = System.nanoTime();
            CompiledLab compiled = compiler.compile(lab.skeletonSources(), work.resolve(lab.name()));
            Duration compiling = Duration.ofNanos(System.nanoTime() - start);
            CheckerResult result = CheckerRun.of(compiled).run();
            System.out.println(table(lab.name(), result, compiling));
            if (Boolean.getBoolean("proof.verbose")) {
                System.out.println(result.describe());
            }

            List<String> defects = defects(lab.name(), result, kitTimeout());
            assertThat(defects)
                    .withFailMessage("%s: the checker must fail on the untouched skeleton (%s), task by task; %d defects:%n  %s%n%s",
                            lab.name(), ROOT.relativize(lab.skeleton()), defects.size(), String.join("\n  ", defects), result.describe())
                    .isEmpty();
        }));
    }

    /** What is wrong with a checker, judged by its run against the skeleton; empty if nothing. */
    static List<String> defects(String lab, CheckerResult result, String kitTimeout) {
        List<String> defects = new ArrayList<>();
        String link = lab + ".html#";
        if (result.timedOut()) {
            defects.add("the checker was still running after " + CheckerRun.DEFAULT_TIMEOUT.toSeconds()
                    + " s and was abandoned; unfinished: " + result.with(Status.NOT_FINISHED).stream().map(TestOutcome::displayName).toList());
        }
        if (result.tests().isEmpty()) {
            defects.add("no checker test ran (looked for classes named Test*, *Test, *Tests, *TestCase in "
                    + lab + "/src/test/java)" + (result.problems().isEmpty() ? "" : "; problems: " + result.problems()));
        }
        String timeout = result.configuration().get("junit.jupiter.execution.timeout.default");
        if (kitTimeout == null || !kitTimeout.equals(timeout)) {
            defects.add("the kit's shared timeout (junit.jupiter.execution.timeout.default=" + kitTimeout
                    + ") was not in effect: the run saw " + timeout);
        }
        for (String excluded : result.excluded()) {
            defects.add("checker class " + excluded + " has tests, but surefire's default includes (Test*, *Test, *Tests, *TestCase)"
                    + " never run it: rename it");
        }
        for (TestOutcome test : result.tests()) {
            String name = "checker test \"" + test.displayName() + "\"";
            Set<String> tasks = test.taskTags();
            if (test.hasTag(UNGRADED)) {
                if (!tasks.isEmpty()) {
                    defects.add(name + " is tagged both " + UNGRADED + " and " + tasks + ": which is it?");
                }
                continue;
            }
            if (tasks.isEmpty()) {
                defects.add(name + " is graded (not tagged " + UNGRADED + ") but carries no task-N tag; its tags: " + test.tags());
            }
            switch (test.status()) {
                case SUCCESSFUL -> defects.add(name + " passes on the untouched skeleton: it grades nothing"
                        + " (make it fail there, or tag it " + UNGRADED + " and say why in its @DisplayName)");
                case FAILED -> {
                    if (test.message() == null || !test.message().contains(link)) {
                        defects.add(name + " fails without linking the notes (" + link + "...), so the student is not told where"
                                + " it is explained; the student reads: " + test.failure());
                    }
                }
                default -> defects.add(name + " ended " + test.status() + " on the skeleton instead of failing: " + test.failure());
            }
        }
        Map<String, Long> failuresByTask = new TreeMap<>();
        result.tests().forEach(t -> t.taskTags().forEach(task ->
                failuresByTask.merge(task, t.status() == Status.FAILED ? 1L : 0L, Long::sum)));
        failuresByTask.forEach((task, failures) -> {
            if (failures == 0) {
                defects.add(task + " has no failing test on the skeleton: the task is not graded");
            }
        });
        return defects;
    }

    /** A compact table: one row per task and one for the whole lab. */
    static String table(String lab, CheckerResult result, Duration compiling) {
        Set<String> tasks = new TreeSet<>((a, b) -> Integer.compare(taskNumber(a), taskNumber(b)));
        result.tests().forEach(t -> tasks.addAll(t.taskTags()));
        String format = "%-6s %-9s %6s %7s %9s  %s%n";
        StringBuilder table = new StringBuilder(String.format("%n" + format, "lab", "task", "tests", "failed", UNGRADED, "time"));
        for (String task : tasks) {
            List<TestOutcome> tests = result.select(t -> t.hasTag(task));
            table.append(String.format(format, lab, task, tests.size(), count(tests, Status.FAILED),
                    tests.stream().filter(t -> t.hasTag(UNGRADED)).count(), millis(tests.stream().map(TestOutcome::duration)
                            .reduce(Duration.ZERO, Duration::plus))));
        }
        table.append(String.format(format, lab, "all", result.tests().size(), count(result.tests(), Status.FAILED),
                result.select(t -> t.hasTag(UNGRADED)).size(),
                millis(result.duration()) + " (compile " + millis(compiling) + ")" + (result.timedOut() ? " TIMED OUT" : "")));
        return table.toString().stripTrailing();
    }

    private static int taskNumber(String task) {
        return Integer.parseInt(task.substring("task-".length()));
    }

    private static long count(List<TestOutcome> tests, Status status) {
        return tests.stream().filter(t -> t.status() == status).count();
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
    }

    static String kitTimeout() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve("labs/kit/src/main/resources/junit-platform.properties"))) {
            properties.load(in);
        }
        return properties.getProperty("junit.jupiter.execution.timeout.default");
    }

    /** The judgement above, on made-up results: it must catch every kind of defect, and pass a clean run. */
    @Test
    void the_verdict_catches_each_kind_of_defect() {
        CheckerResult clean = result(false, List.of(),
                outcome("A > parses", Set.of("task-1"), Status.FAILED, "see lab7.html#parse"),
                outcome("A > B > formats", Set.of("task-2", "task-1"), Status.FAILED, "lab7.html#format: expected 1"),
                outcome("A > the program is given", Set.of(UNGRADED), Status.SUCCESSFUL, null));
        assertThat(defects("lab7", clean, "20 s")).isEmpty();

        CheckerResult bad = result(true, List.of("lab7.OddChecks"),
                outcome("A > grades nothing", Set.of("task-1"), Status.SUCCESSFUL, null),
                outcome("A > untagged", Set.of(), Status.FAILED, "lab7.html#x"),
                outcome("A > no link", Set.of("task-1"), Status.FAILED, "expected 1 but was 2"),
                outcome("A > wrong lab's link", Set.of("task-1"), Status.FAILED, "lab6.html#x"),
                outcome("A > no message", Set.of("task-1"), Status.FAILED, null),
                outcome("A > skipped", Set.of("task-1"), Status.SKIPPED, null),
                outcome("A > hung", Set.of("task-1"), Status.NOT_FINISHED, null),
                outcome("A > task 3 passes", Set.of("task-3"), Status.SUCCESSFUL, null),
                outcome("A > both", Set.of(UNGRADED, "task-2"), Status.SUCCESSFUL, null));
        List<String> defects = defects("lab7", bad, "20 s");
        assertThat(defects).anySatisfy(d -> assertThat(d).contains("still running after"))
                .anySatisfy(d -> assertThat(d).contains("was not in effect"))
                .anySatisfy(d -> assertThat(d).contains("lab7.OddChecks has tests"))
                .anySatisfy(d -> assertThat(d).isEqualTo("checker test \"A > grades nothing\" passes on the untouched skeleton:"
                        + " it grades nothing (make it fail there, or tag it ungraded and say why in its @DisplayName)"))
                .anySatisfy(d -> assertThat(d).startsWith("checker test \"A > untagged\" is graded").contains("no task-N tag"))
                .anySatisfy(d -> assertThat(d).startsWith("checker test \"A > no link\" fails without linking the notes (lab7.html#"))
                .anySatisfy(d -> assertThat(d).startsWith("checker test \"A > wrong lab's link\" fails without linking"))
                .anySatisfy(d -> assertThat(d).startsWith("checker test \"A > no message\" fails without linking"))
                .anySatisfy(d -> assertThat(d).startsWith("checker test \"A > skipped\" ended SKIPPED"))
                .anySatisfy(d -> assertThat(d).startsWith("checker test \"A > hung\" ended NOT_FINISHED"))
                .anySatisfy(d -> assertThat(d).isEqualTo("task-3 has no failing test on the skeleton: the task is not graded"))
                .anySatisfy(d -> assertThat(d).startsWith("checker test \"A > both\" is tagged both ungraded and [task-2]"))
                .anySatisfy(d -> assertThat(d).startsWith("checker test \"A > task 3 passes\" passes on the untouched skeleton"))
                .anySatisfy(d -> assertThat(d).startsWith("task-2 has no failing test")) // its only test is (also) ungraded
                .hasSize(14);
        assertThat(defects("lab7", result(false, List.of()), "20 s")).singleElement().asString().startsWith("no checker test ran");
        assertThat(table("lab7", clean, Duration.ofMillis(1500)))
                .contains("lab7   task-1         2       2         0")
                .contains("lab7   task-2         1       1         0")
                .contains("lab7   all            3       2         1  0.25 s (compile 1.50 s)");
    }

    private static CheckerResult result(boolean timedOut, List<String> excluded, TestOutcome... tests) {
        Map<String, String> configuration = timedOut ? Map.of() : Map.of("junit.jupiter.execution.timeout.default", "20 s");
        return new CheckerResult("lab7 (skeleton)", List.of(tests), List.of(), configuration, excluded, Duration.ofMillis(250), timedOut);
    }

    private static TestOutcome outcome(String name, Set<String> tags, Status status, String message) {
        return new TestOutcome("[test:" + name + "]", name, tags, status, message,
                status == Status.SUCCESSFUL ? null : "java.lang.AssertionError: " + message, Duration.ofMillis(10));
    }
}
