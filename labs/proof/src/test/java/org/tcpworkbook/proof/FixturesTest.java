package org.tcpworkbook.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * Every fixture in {@code labs/proof/fixtures} (see {@link Fixture} for the format) is rejected by
 * its lab's checker, and the checker says why: the run completes, at least one graded test fails,
 * and each {@code expect} pattern is found in the message of a failed graded test. A checker that
 * fails a known-wrong program for some other reason, or with a message that does not name the bug,
 * leaves the student to guess.
 *
 * <p>Each lab's checker is compiled once, against its solution; each fixture compiles only the main
 * layer (the solution with the fixture's files in place) and reuses it. {@code -Dproof.fixtures.runs=N}
 * runs each fixture N times, every run judged: a fixture rejected only by luck shows up.
 */
class FixturesTest {

    static final Path ROOT = LabLayout.workbookRoot();
    static final String UNGRADED = SkeletonsFailTest.UNGRADED;
    static final int MESSAGE_LINES = 3;
    static final int SHORT_NAME = 40;

    static LabCompiler compiler;
    static final Map<String, CompiledLab> checkers = new HashMap<>();
    static final List<Trial> trials = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    static Path work;

    /** The second JVM checking half of the catalogue, if any; and when the catalogue started and ended. */
    static FixtureShard shard;
    static volatile long catalogueStart;
    static volatile long catalogueEnd;

    @BeforeAll
    static void openCompiler() {
        compiler = new LabCompiler();
    }

    @AfterAll
    static void closeCompilerAndPrintTable() {
        compiler.close();
        if (shard != null) {
            shard.destroy();
        }
        if (!trials.isEmpty()) {
            System.out.println(table(trials));
            System.out.println(catalogue(trials));
        }
    }

    @TestFactory
    Stream<DynamicTest> every_fixture_is_rejected_by_its_checker_naming_the_bug() throws IOException {
        Path folder = Fixture.folder(ROOT);
        List<Path> fixtures = Fixture.folders(folder);
        assertThat(fixtures).as("fixtures in %s: without one, nothing shows the checkers catch a real bug", folder).isNotEmpty();
        String only = System.getProperty("proof.fixtures", ".*"); // e.g. -Dproof.fixtures='lab4-.*' while writing mutants
        List<Path> selected = fixtures.stream().filter(dir -> dir.getFileName().toString().matches(only)).toList();
        // Two JVMs take fixtures from one queue, the full-checker runs (no expect.test) first, as the
        // longest; -Dproof.fixtures.jvms=1 keeps them all in this one.
        Map<Boolean, List<Path>> whole = selected.stream().collect(Collectors.partitioningBy(FixturesTest::facesTheWholeChecker));
        Queue<Path> queue = new ConcurrentLinkedQueue<>(whole.get(true));
        queue.addAll(whole.get(false));
        catalogueStart = System.nanoTime();
        boolean split = Integer.getInteger("proof.fixtures.jvms", 2) > 1 && selected.size() > 1;
        shard = split ? FixtureShard.start(queue, work.resolve("shard")) : null;
        Stream<DynamicTest> local = Stream.generate(queue::poll).takeWhile(Objects::nonNull).map(dir -> dynamicTest(
                dir.getFileName() + ": rejected by its checker, which names the bug", () -> {
                    Fixture fixture = Fixture.load(dir);
                    for (int run = 1; run <= runs(fixture); run++) {
                        Trial trial = check(fixture);
                        judged(trial);
                    }
                }));
        Stream<DynamicTest> remote = Stream.of(0).flatMap(ignored -> remoteFixtures().stream()).map(dir -> dynamicTest(
                dir.getFileName() + ": rejected by its checker, which names the bug (in a second JVM)", () -> {
                    Fixture fixture = Fixture.load(dir);
                    for (FixtureShard.Run run : shard.runs(dir)) {
                        judged(new Trial(fixture, run.result(), verdict(fixture, run.result()), run.compiling()));
                    }
                }));
        return Stream.concat(local, remote);
    }

    /** How many times a fixture is run: its {@code runs}, or {@code -Dproof.fixtures.runs} if given. */
    static int runs(Fixture fixture) {
        return Integer.getInteger("proof.fixtures.runs", fixture.runs());
    }

    /** The fixtures the second JVM took, once it is done; none without one. */
    private static List<Path> remoteFixtures() {
        if (shard == null) {
            return List.of();
        }
        try {
            return shard.given();
        } catch (Exception e) {
            throw new IllegalStateException("the second fixture JVM failed: " + e.getMessage(), e);
        }
    }

    /** A fixture without expect.test runs every check of its lab: the longest runs. */
    private static boolean facesTheWholeChecker(Path dir) {
        try {
            return Fixture.load(dir).expectTest().isEmpty();
        } catch (RuntimeException e) {
            return true; // malformed: its own test says so, early
        }
    }

    /** Records a run of a fixture of the catalogue, then asserts it was rejected. */
    private static void judged(Trial trial) {
        trials.add(trial);
        catalogueEnd = System.nanoTime();
        assertRejected(trial);
    }

    /** The fixture's patched solution, compiled against its lab's checker (compiled once per lab), run bounded in time, judged. */
    static Trial check(Fixture fixture) throws IOException {
        LabLayout layout = LabLayout.of(ROOT, fixture.lab());
        if (!Files.isRegularFile(layout.labDir().resolve("pom.xml"))) {
            throw new Fixture.MalformedFixtureException("fixture " + fixture.name() + ": no lab " + layout.labDir());
        }
        CompiledLab checker = checkers.get(fixture.lab());
        if (checker == null) {
            checker = compiler.compile(layout.solutionSources(), work.resolve(fixture.lab()).resolve("solution"));
            checkers.put(fixture.lab(), checker);
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(work.resolve(fixture.lab())), fixture.name() + "-");
        Path mutant = fixture.apply(layout, dir.resolve("src"));
        long start = System.nanoTime();
        String variant = "fixture " + fixture.name();
        Path main = compiler.compileMain(layout.sources(mutant, variant), dir.resolve("classes"));
        Duration compiling = Duration.ofNanos(System.nanoTime() - start);
        CheckerRun run = CheckerRun.of(checker.withMain(fixture.lab() + " (" + variant + ")", main));
        // A mutant names the check expected to catch it: only that check runs. (A fixture without
        // expect.test faces the whole checker.)
        CheckerResult result = fixture.expectTest().map(run::onlyTestsNamed).orElse(run).run();
        if (Boolean.getBoolean("proof.verbose")) {
            System.out.println(listing(result));
        }
        return new Trial(fixture, result, verdict(fixture, result), compiling);
    }

    /** One run of one fixture. */
    record Trial(Fixture fixture, CheckerResult result, Verdict verdict, Duration compiling) {
    }

    /**
     * How the checker judged a fixture.
     *
     * @param survived  the run completed and no graded test failed: the checker missed the bug
     * @param failed    the graded tests that failed
     * @param matches   per {@code expect} key, the failed graded tests whose message it was found in
     * @param named     the failed graded tests whose display name {@code expect.test} was found in
     *                  (all of {@code failed} if there is no {@code expect.test})
     * @param defects   why the fixture does not count as rejected with the bug named; empty if it does
     */
    record Verdict(boolean survived, List<TestOutcome> failed, Map<String, List<TestOutcome>> matches,
                   List<TestOutcome> named, List<String> defects) {

        String word() {
            return defects.isEmpty() ? "rejected" : survived ? "SURVIVED" : "DEFECTIVE";
        }
    }

    static Verdict verdict(Fixture fixture, CheckerResult result) {
        List<String> defects = new ArrayList<>();
        List<TestOutcome> failed = result.select(t -> t.status() == Status.FAILED && !t.hasTag(UNGRADED));
        if (result.timedOut()) {
            defects.add("the run did not complete: abandoned after " + result.duration().toSeconds() + " s; unfinished: "
                    + result.with(Status.NOT_FINISHED).stream().map(TestOutcome::displayName).toList());
        }
        if (result.tests().isEmpty()) {
            defects.add("no checker test ran" + (result.problems().isEmpty() ? "" : "; problems: " + result.problems()));
        }
        boolean survived = !result.timedOut() && !result.tests().isEmpty() && failed.isEmpty();
        if (survived) {
            defects.add("survived: no graded test failed (" + result.summary() + "), so the checker misses the bug: " + fixture.bug());
        }
        Map<String, List<TestOutcome>> matches = new LinkedHashMap<>();
        fixture.expectations().forEach((key, pattern) -> {
            List<TestOutcome> matching = failed.stream().filter(t -> pattern.matcher(t.message() == null ? "" : t.message()).find()).toList();
            matches.put(key, matching);
            if (matching.isEmpty() && !failed.isEmpty()) {
                defects.add(key + " /" + pattern + "/ is found in the message of no failed graded test: the checker rejects"
                        + " the fixture without naming the bug (" + fixture.bug() + ")");
            }
        });
        List<TestOutcome> named = fixture.expectTest()
                .map(pattern -> failed.stream().filter(t -> pattern.matcher(t.displayName()).find()).toList())
                .orElse(failed);
        if (fixture.expectTest().isPresent() && named.isEmpty() && !failed.isEmpty()) {
            defects.add(Fixture.EXPECT_TEST + " /" + fixture.expectTest().get() + "/ is found in the display name of no failed graded test;"
                    + " the failed ones: " + failed.stream().map(TestOutcome::displayName).toList());
        }
        return new Verdict(survived, failed, matches, named, defects);
    }

    /** What the factory asserts of each run. */
    static void assertRejected(Trial trial) {
        Fixture fixture = trial.fixture();
        List<String> defects = trial.verdict().defects();
        assertThat(defects)
                .withFailMessage("fixture %s (%s, %s) must be rejected by the %s checker, naming the bug; %d defects:%n  %s%n%s",
                        fixture.name(), fixture.bug(), ROOT.relativize(fixture.dir().toAbsolutePath()), fixture.lab(),
                        defects.size(), String.join("\n  ", defects), listing(trial.result()))
                .isEmpty();
    }

    /** Every test with its status and the first lines of its message; then the problems. */
    static String listing(CheckerResult result) {
        StringBuilder text = new StringBuilder(result.summary());
        for (TestOutcome test : result.tests()) {
            text.append(String.format("%n  %-12s %7s  %s %s", test.status(), seconds(test.duration()), test.displayName(), test.tags()));
            String message = test.message() != null ? test.message() : test.failure();
            if (message != null) {
                List<String> lines = message.strip().lines().filter(l -> !l.isBlank()).toList();
                lines.stream().limit(MESSAGE_LINES).forEach(l -> text.append("\n      | ").append(l.strip()));
                if (lines.size() > MESSAGE_LINES) {
                    text.append("\n      | (").append(lines.size() - MESSAGE_LINES).append(" more lines)");
                }
            }
        }
        result.problems().forEach(p -> text.append("\n  problem: ").append(p));
        return text.toString();
    }

    /** One row per run: fixture, lab, tests, failed, verdict, time (compile + run), then the tests each expect matched. */
    static String table(List<Trial> trials) {
        String format = "%-24s %-5s %5s %6s  %-9s %-17s  %s%n";
        StringBuilder table = new StringBuilder(String.format("%n" + format, "fixture", "lab", "tests", "failed", "verdict", "time", "matched"));
        for (Trial trial : trials) {
            Verdict verdict = trial.verdict();
            String matched = verdict.matches().entrySet().stream()
                    .map(e -> e.getKey() + ": " + (e.getValue().isEmpty() ? "NONE"
                            : e.getValue().stream().map(FixturesTest::shortName).collect(Collectors.joining(", "))))
                    .collect(Collectors.joining("; "));
            table.append(String.format(format, trial.fixture().name(), trial.fixture().lab(), trial.result().tests().size(),
                    verdict.failed().size(), verdict.word(),
                    seconds(trial.result().duration()) + " (+" + seconds(trial.compiling()) + ")"
                            + (trial.result().timedOut() ? " TIMED OUT" : ""),
                    matched));
        }
        return table.toString().stripTrailing();
    }

    /**
     * The catalogue at a glance, one row per lab: mutants (and fixtures), how many were rejected
     * with the bug named, how many survived, the median time to reject (compile + run); then the total.
     */
    static String catalogue(List<Trial> all) {
        Path catalogue = Fixture.folder(ROOT).toAbsolutePath().normalize();
        List<Trial> controls = all.stream()
                .filter(t -> !t.fixture().dir().toAbsolutePath().normalize().startsWith(catalogue)).toList();
        List<Trial> trials = all.stream().filter(t -> !controls.contains(t)).toList();
        String format = "%-6s %8s %9s %9s %10s  %s%n";
        StringBuilder table = new StringBuilder(String.format("%n" + format, "lab", "mutants", "rejected", "survived",
                "median", "defective (rejected without naming the bug, or not at all)"));
        Map<String, List<Trial>> byLab = new java.util.TreeMap<>();
        trials.forEach(t -> byLab.computeIfAbsent(t.fixture().lab(), k -> new ArrayList<>()).add(t));
        Duration total = Duration.ZERO;
        for (Map.Entry<String, List<Trial>> lab : byLab.entrySet()) {
            List<Trial> runs = lab.getValue();
            List<Duration> rejecting = runs.stream().filter(t -> t.verdict().defects().isEmpty())
                    .map(t -> t.compiling().plus(t.result().duration())).sorted().toList();
            long survived = runs.stream().filter(t -> t.verdict().survived()).count();
            String defective = runs.stream().filter(t -> !t.verdict().defects().isEmpty() && !t.verdict().survived())
                    .map(t -> t.fixture().name()).collect(Collectors.joining(", "));
            for (Trial t : runs) {
                total = total.plus(t.compiling()).plus(t.result().duration());
            }
            table.append(String.format(format, lab.getKey(), runs.size(), rejecting.size(), survived,
                    rejecting.isEmpty() ? "-" : seconds(rejecting.get(rejecting.size() / 2)),
                    defective.isEmpty() ? "none" : defective));
        }
        table.append(String.format("total: %d runs, %s of compile + run, %s from the first to the last (%s)",
                trials.size(), seconds(total), seconds(Duration.ofNanos(Math.max(0, catalogueEnd - catalogueStart))),
                shard == null ? "one JVM" : "two JVMs at once"));
        for (Trial control : controls) {
            table.append(String.format("%ncontrol %s (%s): %s, as the mechanism must report it", control.fixture().name(),
                    control.fixture().bug(), control.verdict().word()));
        }
        return table.toString();
    }

    private static String shortName(TestOutcome test) {
        String name = test.displayName();
        int last = name.lastIndexOf(" > ");
        String leaf = last < 0 ? name : name.substring(last + " > ".length());
        return leaf.length() <= SHORT_NAME ? leaf : leaf.substring(0, SHORT_NAME - 3) + "...";
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
    }

    // --- the mechanism is not vacuous ---

    @Test
    void a_mutant_faces_only_its_expected_check() throws IOException {
        LabLayout lab1 = LabLayout.of(ROOT, "lab1");
        CompiledLab solution = checkers.computeIfAbsent("lab1", k -> compiler.compile(lab1.solutionSources(),
                work.resolve("lab1").resolve("solution")));
        CheckerResult all = CheckerRun.of(solution).run();
        CheckerResult one = CheckerRun.of(solution)
                .onlyTestsNamed(java.util.regex.Pattern.compile("Task 2: Ports.category > uses IANA")).run();
        assertThat(all.tests()).hasSizeGreaterThan(5);
        assertThat(one.tests()).extracting(TestOutcome::displayName)
                .containsExactly("Lab 1: IP addresses and ports > Task 2: Ports.category > uses IANA's ranges, boundaries included");
        assertThat(one.tests()).allMatch(t -> t.status() == Status.SUCCESSFUL);
    }

    /** The solution itself, as a fixture with no files: every check passes, so the factory's assertion fails for it. */
    @Test
    void an_identity_fixture_survives_and_the_factory_would_fail_on_it(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("lab2-identity"));
        Files.writeString(folder.resolve(Fixture.PROPERTIES), """
                lab=lab2
                bug=none: the reference solution, unchanged
                expect=.
                """);
        Fixture identity = Fixture.load(folder);
        assertThat(identity.patches()).isEmpty();

        Trial trial = check(identity);
        trials.add(trial);

        assertThat(trial.result().allSuccessful()).as(listing(trial.result())).isTrue();
        assertThat(trial.verdict().survived()).isTrue();
        assertThat(trial.verdict().word()).isEqualTo("SURVIVED");
        assertThat(trial.verdict().defects()).singleElement().asString()
                .startsWith("survived: no graded test failed (lab2 (fixture lab2-identity): 18 tests")
                .endsWith("so the checker misses the bug: none: the reference solution, unchanged");
        assertThatThrownBy(() -> assertRejected(trial)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("fixture lab2-identity (none: the reference solution, unchanged")
                .hasMessageContaining("survived: no graded test failed")
                .message().containsPattern("SUCCESSFUL +\\d+[.]\\d\\d s  Lab 2: the chat client > Task 3: ChatClient.receive > keeps the rest");
    }

    /** The judgement on made-up runs: each way a fixture can fail to be rejected with its bug named. */
    @Test
    void the_verdict_needs_a_completed_run_a_graded_failure_and_every_expectation() {
        Fixture fixture = new Fixture("lab7-naive", Path.of("lab7-naive"), "lab7", "one read taken as one message",
                ordered("expect.1", Pattern.compile("One read[(][)] is not one message"),
                        "expect.2", Pattern.compile("(?s)never.*default")),
                Optional.of(Pattern.compile("Task 3")), List.of(), 1, false, false);
        TestOutcome split = outcome("Lab 7 > Task 3 > reassembles", Set.of("task-3"), Status.FAILED,
                "[One read() is not one message: keep reading. see lab7.html#x]");
        TestOutcome charset = outcome("Lab 7 > Task 2 > sends", Set.of("task-2"), Status.FAILED,
                "[Encode with UTF-8,\nnever the platform's default. see lab7.html#y]");
        TestOutcome passes = outcome("Lab 7 > Task 1 > connects", Set.of("task-1"), Status.SUCCESSFUL, null);
        TestOutcome ungradedFailure = outcome("Lab 7 > Task 3 > given code", Set.of(UNGRADED), Status.FAILED,
                "One read() is not one message");

        Verdict good = verdict(fixture, result(false, split, charset, passes));
        assertThat(good.defects()).isEmpty();
        assertThat(good.word()).isEqualTo("rejected");
        assertThat(good.matches()).containsEntry("expect.1", List.of(split)).containsEntry("expect.2", List.of(charset));
        assertThat(good.named()).containsExactly(split);

        Verdict survived = verdict(fixture, result(false, passes, ungradedFailure));
        assertThat(survived.survived()).isTrue();
        assertThat(survived.defects()).singleElement().asString().startsWith("survived: no graded test failed");

        Verdict unnamed = verdict(fixture, result(false, charset, passes));
        assertThat(unnamed.survived()).isFalse();
        assertThat(unnamed.word()).isEqualTo("DEFECTIVE");
        assertThat(unnamed.defects()).containsExactly(
                "expect.1 /One read[(][)] is not one message/ is found in the message of no failed graded test: the checker"
                        + " rejects the fixture without naming the bug (one read taken as one message)",
                "expect.test /Task 3/ is found in the display name of no failed graded test; the failed ones: [Lab 7 > Task 2 > sends]");

        TestOutcome hung = outcome("Lab 7 > Task 4 > waits", Set.of("task-4"), Status.NOT_FINISHED, null);
        Verdict timedOut = verdict(fixture, result(true, split, charset, hung));
        assertThat(timedOut.survived()).isFalse();
        assertThat(timedOut.defects()).singleElement().asString()
                .startsWith("the run did not complete: abandoned after 61 s; unfinished: [Lab 7 > Task 4 > waits]");

        assertThat(verdict(fixture, result(false)).defects()).singleElement().asString().startsWith("no checker test ran");
        assertThat(table(List.of(new Trial(fixture, result(false, split, charset, passes), good, Duration.ofMillis(800)))))
                .contains("lab7-naive               lab7      3      2  rejected  61.00 s (+0.80 s)  expect.1: reassembles; expect.2: sends");
    }

    private static Map<String, Pattern> ordered(String key1, Pattern pattern1, String key2, Pattern pattern2) {
        Map<String, Pattern> map = new LinkedHashMap<>();
        map.put(key1, pattern1);
        map.put(key2, pattern2);
        return map;
    }

    private static CheckerResult result(boolean timedOut, TestOutcome... tests) {
        return new CheckerResult("lab7 (fixture lab7-naive)", List.of(tests), List.of(), Map.of(), List.of(),
                Duration.ofSeconds(61), timedOut);
    }

    private static TestOutcome outcome(String name, Set<String> tags, Status status, String message) {
        return new TestOutcome("[test:" + name + "]", name, tags, status, message,
                status == Status.SUCCESSFUL ? null : "java.lang.AssertionError: " + message, Duration.ofMillis(10));
    }
}
