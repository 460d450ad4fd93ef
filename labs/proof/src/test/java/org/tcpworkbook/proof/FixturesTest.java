package org.tcpworkbook.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
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
 * <p>A fixture is run {@code runs} times and must be rejected every time; a {@code leak} fixture is
 * run as many times again in a JVM with a small heap and a collection forced before each leak check.
 * Each run first executes only the checks {@code expect.test} names; if they reject the fixture,
 * that is the verdict, else the whole checker runs and its verdict counts (so a fixture is never
 * let through because the named check alone missed it).
 *
 * <p>The {@link Catalogue} compiles, in this JVM, each lab's checker once and each fixture once (a
 * warm compiler; only the patched classes, over the solution's), and hands the compiled fixtures to runner JVMs ({@link FixtureJvm}) that only run
 * checkers: each JVM's leak checks see only its own threads and sockets. {@code -Dproof.fixtures.runs=N}
 * runs every fixture N times instead of its {@code runs}.
 *
 * <p>A race or leak fixture runs {@link Rates#VERIFY_RUNS} times here; its rate over its {@code runs}
 * (20) is measured apart, by {@code -Dproof.rates=20}, and kept in {@code fixtures/RATES.md}, which a
 * build checks ({@link Rates}). The controls show the mechanism on the control lab ({@link #CONTROL}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FixturesTest {

    static final Path ROOT = LabLayout.workbookRoot();
    static final String UNGRADED = SkeletonsFailTest.UNGRADED;
    static final int MESSAGE_LINES = 3;
    static final int SHORT_NAME = 40;
    static final int SLOWEST = 10;

    static LabCompiler compiler;
    /** The compilers of the catalogue's compiling threads, one each (a compiler is not for concurrent use). */
    private static final List<LabCompiler> threadCompilers = Collections.synchronizedList(new ArrayList<>());
    private static final ThreadLocal<LabCompiler> threadCompiler = ThreadLocal.withInitial(() -> {
        LabCompiler mine = new LabCompiler();
        threadCompilers.add(mine);
        return mine;
    });
    private static final Map<String, CompiledLab> checkers = new HashMap<>();
    static final List<Trial> trials = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    static Path work;

    static Catalogue catalogue;

    @BeforeAll
    static void openCompiler() {
        compiler = new LabCompiler();
    }

    @AfterAll
    static void closeCompilerAndPrintTable() {
        if (catalogue != null) {
            catalogue.close();
        }
        compiler.close();
        synchronized (threadCompilers) {
            threadCompilers.forEach(LabCompiler::close);
            threadCompilers.clear();
        }
        if (!trials.isEmpty()) {
            boolean verbose = Boolean.getBoolean("proof.verbose");
            System.out.println(report(trials, verbose));
        }
        if (Rates.measuring().isPresent() && catalogue != null) {
            recordRates();
        }
    }

    /** With {@code -Dproof.rates}: the rates just measured, into the catalogue's rate table. */
    private static void recordRates() {
        Path folder = Fixture.folder(ROOT).toAbsolutePath().normalize();
        Map<String, List<Trial>> byFixture = new TreeMap<>();
        trials.stream().filter(t -> t.fixture().dir().toAbsolutePath().normalize().startsWith(folder))
                .filter(t -> Rates.rated(t.fixture()))
                .forEach(t -> byFixture.computeIfAbsent(t.fixture().name(), k -> new ArrayList<>()).add(t));
        List<Rates.Row> rows = new ArrayList<>();
        String now = Rates.now();
        for (List<Trial> runs : byFixture.values()) {
            Fixture fixture = runs.get(0).fixture();
            Rate normal = Rate.of(runs.stream().filter(t -> !t.leakJvm()).toList());
            Rate leak = Rate.of(runs.stream().filter(Trial::leakJvm).toList());
            rows.add(new Rates.Row(fixture.name(), fixture.lab(), Rates.kind(fixture), (int) normal.rejected(), (int) normal.runs(),
                    fixture.leak() ? (int) leak.rejected() : -1, fixture.leak() ? (int) leak.runs() : -1, Rates.digest(fixture), now));
        }
        if (!rows.isEmpty()) {
            Path file = Rates.file(Fixture.folder(ROOT));
            Rates.write(file, rows);
            System.out.println("rates of " + rows.size() + " fixtures written to " + file);
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> every_fixture_is_rejected_by_its_checker_naming_the_bug_in_every_run() {
        Path folder = Fixture.folder(ROOT);
        List<Path> fixtures = Fixture.folders(folder);
        assertThat(fixtures).as("fixtures in %s: without one, nothing shows the checkers catch a real bug", folder).isNotEmpty();
        String only = System.getProperty("proof.fixtures", ".*"); // e.g. -Dproof.fixtures='lab4-.*' while writing mutants
        List<Path> selected = fixtures.stream().filter(dir -> dir.getFileName().toString().matches(only))
                .filter(dir -> Rates.measuring().isEmpty() || isRated(dir)).toList();
        assertThat(selected).as("fixtures whose name matches -Dproof.fixtures=%s%s", only,
                Rates.measuring().isPresent() ? ", race or leak (-Dproof.rates)" : "").isNotEmpty();
        Integer asked = Integer.getInteger("proof.fixtures.jvms");
        int jvms = asked == null ? Catalogue.DEFAULT_JVMS : Math.max(1, asked);
        catalogue = Catalogue.start(selected, jvms, asked == null ? Catalogue.LATE_JVMS : 0, work.resolve("catalogue"), FixturesTest::runs);
        Stream<DynamicTest> each = catalogue.order().stream().map(dir -> dynamicTest(
                dir.getFileName() + ": rejected by its checker, which names the bug, in every run", () -> {
                    List<Trial> runs = catalogue.await(dir);
                    trials.addAll(runs);
                    printIfVerbose(runs);
                    assertRejectedEveryRun(runs.get(0).fixture(), runs);
                }));
        Stream<DynamicTest> jvmsCheck = Stream.of(dynamicTest(
                "every fixture JVM ran with this JVM's arguments (the leak JVM also with -Xmx64m and kit.leakcheck.gc)",
                () -> assertThat(catalogue.jvmProblems()).as("the fixture JVMs' start").isEmpty()));
        Stream<DynamicTest> ratesCheck = Rates.measuring().isPresent() ? Stream.empty() : Stream.of(dynamicTest(
                "every race and leak fixture has its rate in fixtures/" + Rates.FILE + ", measured on its current files over "
                        + Fixture.RATE_RUNS + " runs or more, every run rejected", () -> {
                    Path file = Rates.file(folder);
                    Map<String, Rates.Row> rows = Rates.read(file);
                    List<String> problems = new ArrayList<>();
                    for (Path dir : selected) {
                        Fixture fixture = Fixture.load(dir);
                        if (Rates.rated(fixture)) {
                            Rates.problem(fixture, rows, file).ifPresent(problems::add);
                        }
                    }
                    assertThat(problems).withFailMessage("%d race or leak fixtures without a good measured rate (verify runs"
                            + " each only %d times):%n  %s", problems.size(), Rates.VERIFY_RUNS, String.join("\n  ", problems))
                            .isEmpty();
                }));
        return Stream.of(each, jvmsCheck, ratesCheck).flatMap(s -> s);
    }

    private static boolean isRated(Path dir) {
        try {
            return Rates.rated(Fixture.load(dir));
        } catch (RuntimeException malformed) {
            return true; // its own test says what is wrong with it
        }
    }

    /**
     * How many times a fixture is run: {@code -Dproof.fixtures.runs} if given; else a race or leak
     * fixture {@code -Dproof.rates} times when its rate is being measured, and at most
     * {@link Rates#VERIFY_RUNS} times in a build (its rate is recorded in {@link Rates#FILE}); else its {@code runs}.
     */
    static int runs(Fixture fixture) {
        Integer forced = Integer.getInteger("proof.fixtures.runs");
        if (forced != null) {
            return forced;
        }
        if (Rates.rated(fixture)) {
            return Rates.measuring().orElse(Math.min(fixture.runs(), Rates.VERIFY_RUNS));
        }
        return fixture.runs();
    }

    /**
     * The proof's own lab ({@code src/test/control}: a two-method class and a four-test checker),
     * on which the controls show the mechanism: its checker runs in milliseconds, a real lab's in seconds.
     */
    static final LabLayout CONTROL = new LabLayout("lab0", ROOT.resolve("labs/proof/src/test/control/lab"),
            ROOT.resolve("labs/kit"), ROOT.resolve("labs/proof/src/test/control/solution"));

    /** The lab's checker, compiled against its solution once per JVM. */
    static CompiledLab checker(String lab) {
        LabLayout layout = LabLayout.of(ROOT, lab);
        if (!Files.isRegularFile(layout.labDir().resolve("pom.xml"))) {
            throw new Fixture.MalformedFixtureException("no lab " + layout.labDir());
        }
        return checker(layout);
    }

    /** The checker of a lab at {@code layout}, compiled against its solution once per JVM. */
    static CompiledLab checker(LabLayout layout) {
        synchronized (checkers) {
            return checkers.computeIfAbsent(layout.labDir().toString(),
                    dir -> compiler.compile(layout.solutionSources(), work.resolve(layout.name()).resolve("solution")));
        }
    }

    /** A fixture compiled: its lab's checker over the patched solution; and how long the patched solution took to compile. */
    record Mutant(CompiledLab lab, Duration compiling) {
    }

    /** Applies the fixture's patches to its lab's solution and compiles that against the lab's checker (compiled once per lab). */
    static Mutant compile(Fixture fixture) throws IOException {
        try {
            checker(fixture.lab());
        } catch (Fixture.MalformedFixtureException e) {
            throw new Fixture.MalformedFixtureException("fixture " + fixture.name() + ": " + e.getMessage());
        }
        return compile(fixture, LabLayout.of(ROOT, fixture.lab()));
    }

    /** {@link #compile(Fixture)} over the lab at {@code layout} (the control lab, say). */
    static Mutant compile(Fixture fixture, LabLayout layout) throws IOException {
        CompiledLab checker = checker(layout);
        Path dir = Files.createTempDirectory(Files.createDirectories(work.resolve(fixture.lab())), fixture.name() + "-");
        Path source = fixture.apply(layout, dir.resolve("src"));
        long start = System.nanoTime();
        // The solution's classes (compiled with the checker), but those of the patched files, which
        // are compiled alone against the rest: a mutant changes a class's code, not the API the rest
        // of the solution and the checker were compiled against.
        Path classes = dir.resolve("classes");
        List<Path> patched = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(checker.mainClasses())) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path relative = checker.mainClasses().relativize(file);
                Files.createDirectories(classes.resolve(relative.toString()).getParent());
                Files.copy(file, classes.resolve(relative.toString()));
            }
        }
        for (Path patch : fixture.patches()) {
            String className = patch.getFileName().toString().replace(Fixture.PATCH, "");
            try (Stream<Path> walk = Files.walk(source)) {
                Path file = walk.filter(f -> f.getFileName().toString().equals(className + ".java")).findFirst().orElseThrow();
                patched.add(file);
                Path stale = classes.resolve(source.relativize(file).toString()).getParent();
                try (Stream<Path> compiled = Files.list(stale)) {
                    for (Path old : compiled.filter(c -> c.getFileName().toString().matches(Pattern.quote(className) + "([$].*)?[.]class")).toList()) {
                        Files.delete(old);
                    }
                }
            }
        }
        String variant = "fixture " + fixture.name();
        threadCompiler.get().compileFiles(fixture.lab() + " (" + variant + "), main", patched, classes, List.of(classes));
        return new Mutant(checker.withMain(fixture.lab() + " (" + variant + ")", classes), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * One run of a compiled fixture: only the checks {@code expect.test} names; if that does not
     * reject it (or there is no {@code expect.test}), the whole checker, whose verdict counts.
     *
     * @param leakJvm the run is made in the leak JVM (for the report)
     */
    static Trial run(Fixture fixture, Mutant mutant, boolean leakJvm) {
        CheckerRun run = CheckerRun.of(mutant.lab());
        if (fixture.expectTest().isPresent()) {
            CheckerResult named = run.onlyTestsNamed(fixture.expectTest().get()).run();
            Verdict verdict = verdict(fixture, named);
            if (verdict.defects().isEmpty()) {
                return new Trial(fixture, named, verdict, mutant.compiling(), false, leakJvm);
            }
        }
        CheckerResult whole = run.run();
        return new Trial(fixture, whole, verdict(fixture, whole), mutant.compiling(), fixture.expectTest().isPresent(), leakJvm);
    }

    private static void printIfVerbose(List<Trial> runs) {
        if (Boolean.getBoolean("proof.verbose")) {
            runs.forEach(t -> System.out.println(listing(t.result())));
        }
    }

    /** The fixture compiled once and run its {@code runs} times in this JVM (the controls; the catalogue runs in {@link FixtureJvm}s). */
    static List<Trial> check(Fixture fixture, LabLayout layout) throws IOException {
        Mutant mutant = compile(fixture, layout);
        List<Trial> runs = new ArrayList<>();
        for (int i = 0; i < fixture.runs(); i++) {
            runs.add(run(fixture, mutant, false));
        }
        printIfVerbose(runs);
        return runs;
    }

    /**
     * One run of one fixture.
     *
     * @param whole   the checks {@code expect.test} names did not reject it alone: the whole checker ran
     * @param leakJvm made in the leak JVM (small heap, a collection before each leak check)
     */
    record Trial(Fixture fixture, CheckerResult result, Verdict verdict, Duration compiling, boolean whole, boolean leakJvm) {

        boolean rejected() {
            return verdict.defects().isEmpty();
        }
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

    /** Rejected runs out of runs, e.g. 19/20. */
    record Rate(long rejected, long runs) {

        static Rate of(List<Trial> trials) {
            return new Rate(trials.stream().filter(Trial::rejected).count(), trials.size());
        }

        boolean every() {
            return runs > 0 && rejected == runs;
        }

        @Override
        public String toString() {
            return rejected + "/" + runs;
        }
    }

    /**
     * What the factory asserts of a fixture's runs: as many as it asks for (and as many again in the
     * leak JVM for a leak fixture), each rejected with the bug named. A fixture rejected only
     * sometimes is a survivor: a student's program with that bug would pass on some runs.
     */
    static void assertRejectedEveryRun(Fixture fixture, List<Trial> runs) {
        List<Trial> normal = runs.stream().filter(t -> !t.leakJvm()).toList();
        List<Trial> leak = runs.stream().filter(Trial::leakJvm).toList();
        List<String> problems = new ArrayList<>();
        int expected = runs(fixture);
        if (normal.size() != expected || leak.size() != (fixture.leak() ? expected : 0)) {
            problems.add("expected " + expected + " runs" + (fixture.leak() ? " and " + expected + " in the leak JVM" : "")
                    + ", got " + normal.size() + (fixture.leak() ? " and " + leak.size() : ""));
        }
        Rate rate = Rate.of(normal);
        if (!rate.every()) {
            problems.add("rejected in " + rate + " runs");
        }
        Rate leakRate = Rate.of(leak);
        if (fixture.leak() && !leakRate.every()) {
            problems.add("rejected in " + leakRate + " runs in the leak JVM (-Xmx64m, a collection forced before each leak check)");
        }
        Trial first = runs.stream().filter(t -> !t.rejected()).findFirst().orElse(null);
        assertThat(problems)
                .withFailMessage("fixture %s (%s, %s) must be rejected by the %s checker, naming the bug, in every run: %s%s",
                        fixture.name(), fixture.bug(), ROOT.relativize(fixture.dir().toAbsolutePath()), fixture.lab(),
                        String.join("; ", problems), first == null ? "" : String.format(
                                "%nthe first run that was not (%s): %d defects:%n  %s%n%s", first.leakJvm() ? "leak JVM" : "run",
                                first.verdict().defects().size(), String.join("\n  ", first.verdict().defects()),
                                listing(first.result())))
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

    /** One row per run: fixture, lab, tests, failed, verdict, time (run, + compile), which checks ran and where, then the tests each expect matched. */
    static String table(List<Trial> trials) {
        String format = "%-34s %-5s %5s %6s  %-9s %-17s  %-16s %s%n";
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n" + format, "fixture", "lab", "tests", "failed",
                "verdict", "time (+compile)", "checks", "matched"));
        for (Trial trial : trials) {
            Verdict verdict = trial.verdict();
            String matched = verdict.matches().entrySet().stream()
                    .map(e -> e.getKey() + ": " + (e.getValue().isEmpty() ? "NONE"
                            : e.getValue().stream().map(FixturesTest::shortName).collect(Collectors.joining(", "))))
                    .collect(Collectors.joining("; "));
            table.append(String.format(Locale.ROOT, format, trial.fixture().name(), trial.fixture().lab(), trial.result().tests().size(),
                    verdict.failed().size(), verdict.word(),
                    seconds(trial.result().duration()) + " (+" + seconds(trial.compiling()) + ")"
                            + (trial.result().timedOut() ? " TIMED OUT" : ""),
                    (trial.whole() || trial.fixture().expectTest().isEmpty() ? "all" : "named") + (trial.leakJvm() ? ", leak JVM" : ""),
                    matched));
        }
        return table.toString().stripTrailing();
    }

    /**
     * The catalogue at a glance: one row per lab (fixtures, runs, fixtures rejected in every run
     * with the bug named, survivors, the median run), the total, the rates of the fixtures run more
     * than once, and the runs of every fixture not rejected every time (of all with {@code verbose}).
     */
    static String report(List<Trial> all, boolean verbose) {
        Path folder = Fixture.folder(ROOT).toAbsolutePath().normalize();
        Map<Boolean, List<Trial>> split = all.stream()
                .collect(Collectors.partitioningBy(t -> t.fixture().dir().toAbsolutePath().normalize().startsWith(folder)));
        List<Trial> catalogued = split.get(true);
        Map<String, List<Trial>> byFixture = new TreeMap<>();
        catalogued.forEach(t -> byFixture.computeIfAbsent(t.fixture().name(), k -> new ArrayList<>()).add(t));
        Map<String, List<List<Trial>>> byLab = new TreeMap<>();
        byFixture.values().forEach(runs -> byLab.computeIfAbsent(runs.get(0).fixture().lab(), k -> new ArrayList<>()).add(runs));

        StringBuilder report = new StringBuilder(byFixture.isEmpty() ? "" : summary(byLab, catalogued.size()));
        if (!byFixture.isEmpty()) {
            report.append(slowest(byFixture.values()));
        }
        List<List<Trial>> rated = byFixture.values().stream()
                .filter(f -> f.size() > 1 || f.get(0).fixture().race() || f.get(0).fixture().leak()).toList();
        if (!rated.isEmpty()) {
            Path ratesFile = Rates.file(Fixture.folder(ROOT));
            Map<String, Rates.Row> recorded = Rates.read(ratesFile);
            String rates = "%-34s %-5s %-10s %13s %11s  %s%n";
            report.append(String.format(Locale.ROOT, "%n" + rates, "fixture", "lab", "kind", "rejected/runs", "in leak JVM",
                    "measured rate (" + Fixture.folder(ROOT).getFileName() + "/" + Rates.FILE + ")"));
            for (List<Trial> runs : rated) {
                Fixture fixture = runs.get(0).fixture();
                Rates.Row row = recorded.get(fixture.name());
                String measured = !Rates.rated(fixture) ? "-" : row == null ? "NONE"
                        : row.shown() + (row.digest().equals(Rates.digest(fixture)) ? "" : " (OTHER FILES)") + ", " + row.measured();
                report.append(String.format(Locale.ROOT, rates, fixture.name(), fixture.lab(), Rates.kind(fixture),
                        Rate.of(runs.stream().filter(t -> !t.leakJvm()).toList()),
                        fixture.leak() ? Rate.of(runs.stream().filter(Trial::leakJvm).toList()) : "-", measured));
            }
            if (Rates.measuring().isEmpty()) {
                report.append(String.format(Locale.ROOT, "(a race or leak fixture runs %d times in a build; its measured rate is over"
                        + " -Dproof.rates runs, see %s for when and how)%n", Rates.VERIFY_RUNS, Rates.FILE));
            }
        }

        List<Trial> shown = verbose ? catalogued : byFixture.values().stream()
                .flatMap(List::stream).filter(t -> t.whole() || !t.rejected()).toList();
        if (!shown.isEmpty()) {
            report.append(verbose ? "" : String.format("%nthe runs not rejected by the checks the fixture names"
                    + " (-Dproof.verbose=true lists every run):")).append(table(shown)).append('\n');
        }
        Map<String, List<Trial>> controls = new LinkedHashMap<>();
        split.get(false).forEach(t -> controls.computeIfAbsent(t.fixture().name(), k -> new ArrayList<>()).add(t));
        for (List<Trial> runs : controls.values()) {
            Rate rate = Rate.of(runs);
            String word = rate.every() ? "rejected" : runs.stream().anyMatch(t -> t.verdict().survived()) ? "SURVIVED" : "DEFECTIVE";
            String times = runs.size() == 1 ? "" : rate.every() ? " in " + rate + " runs" : ", rejected in " + rate + " runs";
            report.append(String.format(Locale.ROOT, "%ncontrol %s (%s): %s%s, as the mechanism must report it", runs.get(0).fixture().name(),
                    runs.get(0).fixture().bug(), word, times));
        }
        return report.toString().stripTrailing();
    }

    /** Where the catalogue's time goes: the fixtures whose runs took longest in all, with their longest run. */
    private static String slowest(java.util.Collection<List<Trial>> fixtures) {
        StringBuilder text = new StringBuilder(String.format("%nthe %d fixtures whose runs took longest"
                + " (all runs; the longest run; the checks it ran):%n", SLOWEST));
        fixtures.stream()
                .sorted(java.util.Comparator.comparing((List<Trial> f) -> f.stream().map(t -> t.result().duration())
                        .reduce(Duration.ZERO, Duration::plus)).reversed())
                .limit(SLOWEST)
                .forEach(f -> {
                    Trial longest = f.stream().max(java.util.Comparator.comparing(t -> t.result().duration())).orElseThrow();
                    text.append(String.format(Locale.ROOT, "  %-34s %3d runs %9s  longest %8s  %s%n", f.get(0).fixture().name(),
                            f.size(), seconds(f.stream().map(t -> t.result().duration()).reduce(Duration.ZERO, Duration::plus)),
                            seconds(longest.result().duration()), longest.whole() || longest.fixture().expectTest().isEmpty()
                                    ? "all" : "named"));
                });
        return text.toString();
    }

    /** One row per lab, then the total. */
    private static String summary(Map<String, List<List<Trial>>> byLab, int runCount) {
        String format = "%-6s %8s %6s %9s %9s %8s %8s  %s%n";
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "%n" + format, "lab", "fixtures", "runs", "rejected",
                "survived", "median", "all", "defective (rejected without naming the bug, or not at all)"));
        Duration running = Duration.ZERO;
        for (Map.Entry<String, List<List<Trial>>> lab : byLab.entrySet()) {
            List<List<Trial>> fixtures = lab.getValue();
            List<Trial> runs = fixtures.stream().flatMap(List::stream).toList();
            List<Duration> times = runs.stream().map(t -> t.result().duration()).sorted().toList();
            running = runs.stream().map(t -> t.result().duration()).reduce(running, Duration::plus);
            long rejected = fixtures.stream().filter(f -> Rate.of(f).every()).count();
            long survived = fixtures.stream().filter(f -> f.stream().anyMatch(t -> t.verdict().survived())).count();
            long whole = fixtures.stream().filter(f -> f.stream().anyMatch(Trial::whole)).count();
            String defective = fixtures.stream()
                    .filter(f -> f.stream().anyMatch(t -> !t.rejected()) && f.stream().noneMatch(t -> t.verdict().survived()))
                    .map(f -> f.get(0).fixture().name()).collect(Collectors.joining(", "));
            report.append(String.format(Locale.ROOT, format, lab.getKey(), fixtures.size(), runs.size(), rejected, survived,
                    seconds(times.get(times.size() / 2)), whole, defective.isEmpty() ? "none" : defective));
        }
        Duration compiling = byLab.values().stream().flatMap(List::stream).map(f -> f.get(0).compiling())
                .reduce(Duration.ZERO, Duration::plus);
        report.append(String.format(Locale.ROOT, "total: %d fixtures, %d runs, %s of runs + %s of compiling, %s from the first to"
                        + " the last%s%n(median: of a run; all: fixtures that the checks named by expect.test did not reject alone on"
                        + " some run, so the whole checker ran)%n",
                byLab.values().stream().mapToInt(List::size).sum(), runCount, seconds(running), seconds(compiling),
                catalogue == null ? "-" : seconds(catalogue.wall()), catalogue == null ? "" : " (" + catalogue.describeJvms() + ")"));
        if (catalogue != null) {
            catalogue.retirements().forEach(why -> report.append("  a runner JVM replaced: ").append(why).append(System.lineSeparator()));
        }
        return report.toString();
    }

    private static String shortName(TestOutcome test) {
        String name = test.displayName();
        int last = name.lastIndexOf(" > ");
        String leaf = last < 0 ? name : name.substring(last + " > ".length());
        return leaf.length() <= SHORT_NAME ? leaf : leaf.substring(0, SHORT_NAME - 3) + "...";
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
    }

    // --- the mechanism is not vacuous ---

    @Test
    void a_mutant_faces_only_its_expected_check() {
        CompiledLab solution = checker(CONTROL);
        CheckerResult all = CheckerRun.of(solution).run();
        CheckerResult one = CheckerRun.of(solution).onlyTestsNamed(Pattern.compile("Task 2: Greeter.twice > doubles a negative")).run();
        assertThat(all.tests()).hasSize(4);
        assertThat(one.tests()).extracting(TestOutcome::displayName)
                .containsExactly("Control lab > Task 2: Greeter.twice > doubles a negative number");
        assertThat(one.tests()).allMatch(t -> t.status() == Status.SUCCESSFUL);
    }

    /** The solution itself, as a fixture with no patch: every check passes, so the factory's assertion fails for it. */
    @Test
    void an_identity_fixture_survives_and_the_factory_would_fail_on_it(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("lab0-identity"));
        Files.writeString(folder.resolve(Fixture.PROPERTIES), """
                lab=lab0
                bug=none: the reference solution, unchanged
                expect=.
                """);
        Fixture identity = Fixture.load(folder);
        assertThat(identity.patches()).isEmpty();

        List<Trial> runs = check(identity, CONTROL);
        trials.addAll(runs);

        Trial trial = runs.get(0);
        assertThat(runs).hasSize(1);
        assertThat(trial.result().allSuccessful()).as(listing(trial.result())).isTrue();
        assertThat(trial.verdict().survived()).isTrue();
        assertThat(trial.verdict().word()).isEqualTo("SURVIVED");
        assertThat(trial.verdict().defects()).singleElement().asString()
                .matches("survived: no graded test failed [(]lab0 [(]fixture lab0-identity[)]: 4 tests, [{]SUCCESSFUL=4[}].*")
                .endsWith("so the checker misses the bug: none: the reference solution, unchanged");
        assertThatThrownBy(() -> assertRejectedEveryRun(identity, runs)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("fixture lab0-identity (none: the reference solution, unchanged")
                .hasMessageContaining("rejected in 0/1 runs")
                .hasMessageContaining("survived: no graded test failed")
                .message().containsPattern("SUCCESSFUL +\\d+[.]\\d\\d s  Control lab > Task 1: Greeter.greet > keeps the name");
    }

    /**
     * A mutant of the control lab that is wrong in some runs only: a counter (kept in the system
     * properties, which outlive each run's class loader) counts the loads of Greeter, and only the
     * 1st, 4th, 7th ... load greets wrongly. Run 1 loads it once (rejected by the named check); run 2
     * loads it twice, in the named check and in the whole checker it then falls back to, both
     * right (survived): rejected in 1 of 2 runs, and the factory must call it a survivor.
     */
    @Test
    void a_mutant_rejected_only_in_some_runs_is_a_survivor(@TempDir Path dir) throws IOException {
        Path source = CONTROL.solution().resolve("org/tcpworkbook/control/Greeter.java");
        String solution = Files.readString(source, StandardCharsets.UTF_8);
        String counter = "proof.control.loads." + System.nanoTime();
        String mutant = solution
                .replace("public final class Greeter {\n", "public final class Greeter {\n"
                        + "    // MUTANT: right unless this is the 1st, 4th, 7th ... load of the class in this JVM\n"
                        + "    private static final boolean RIGHT = (Integer) System.getProperties().merge(\"" + counter
                        + "\", 1, (a, b) -> (Integer) a + (Integer) b) % 3 != 1;\n")
                .replace("        return \"hello \" + name;", "        return (RIGHT ? \"hello \" : \"hallo \") + name;");
        assertThat(mutant).as("the control lab's Greeter still has the lines this control changes")
                .contains("RIGHT = ").contains("(RIGHT ? ");
        Path folder = Files.createDirectories(dir.resolve("lab0-sometimes"));
        Files.writeString(folder.resolve("Greeter.java.patch"), SourcePatch.unifiedDiff(solution, mutant));
        Files.writeString(folder.resolve(Fixture.PROPERTIES), """
                lab=lab0
                bug=greets wrongly in some runs only
                runs=2
                expect.test=Task 1: Greeter.greet > says hello
                expect=say hello, then the name
                """);
        Fixture sometimes = Fixture.load(folder);

        List<Trial> runs;
        try {
            runs = check(sometimes, CONTROL);
        } finally {
            System.getProperties().remove(counter);
        }
        trials.addAll(runs);

        assertThat(runs).extracting(Trial::rejected).containsExactly(true, false);
        assertThat(runs).extracting(Trial::whole).containsExactly(false, true);
        assertThat(Rate.of(runs)).hasToString("1/2");
        assertThatThrownBy(() -> assertRejectedEveryRun(sometimes, runs)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("fixture lab0-sometimes (greets wrongly in some runs only")
                .hasMessageContaining("in every run: ").hasMessageContaining("rejected in 1/2 runs")
                .hasMessageContaining("the first run that was not (run)");
        assertThat(report(runs, false)).contains("control lab0-sometimes (greets wrongly in some runs only): SURVIVED, rejected in 1/2 runs");
    }

    /** A fixture whose named check passes faces the whole checker, and the whole checker's verdict counts. */
    @Test
    void when_the_named_check_does_not_reject_the_whole_checker_runs(@TempDir Path dir) throws IOException {
        Path source = CONTROL.solution().resolve("org/tcpworkbook/control/Greeter.java");
        String solution = Files.readString(source, StandardCharsets.UTF_8);
        String mutant = solution.replace("        return 2 * n;", "        return n + n + 1; // MUTANT: one too many");
        assertThat(mutant).as("the control lab's Greeter still has the line this control changes").contains("n + n + 1");
        Path folder = Files.createDirectories(dir.resolve("lab0-misnamed"));
        Files.writeString(folder.resolve("Greeter.java.patch"), SourcePatch.unifiedDiff(solution, mutant));
        Files.writeString(folder.resolve(Fixture.PROPERTIES), """
                lab=lab0
                bug=twice is one too many, with expect.test naming a check that does not see it
                expect.test=Task 1: Greeter.greet > says hello
                expect=.
                """);
        Fixture misnamed = Fixture.load(folder);

        Trial trial = check(misnamed, CONTROL).get(0);
        trials.add(trial);

        assertThat(trial.whole()).isTrue();
        assertThat(trial.result().tests()).hasSize(4);
        assertThat(trial.verdict().failed()).extracting(TestOutcome::displayName).allMatch(n -> n.contains("Task 2: Greeter.twice"))
                .hasSize(2);
        assertThat(trial.verdict().defects()).singleElement().asString()
                .startsWith("expect.test /Task 1: Greeter.greet > says hello/ is found in the display name of no failed graded test");
    }

    /**
     * The forced races judge behaviour, so they pass a server that guards a plain collection with
     * a lock of its own, even one no checker can find (a static field of a nested class): the other
     * thread waits for that lock instead of going in beside the held one. The race mutants show the
     * other half (the same collection, no lock: rejected every run).
     */
    @Test
    void a_collection_guarded_by_a_lock_of_its_own_passes_the_forced_races(@TempDir Path dir) throws IOException {
        Map<String, String> guardedOnline = new LinkedHashMap<>();
        guardedOnline.put("    private final List<InetSocketAddress> online = new CopyOnWriteArrayList<>();\n",
                "    private final List<InetSocketAddress> online = new java.util.ArrayList<>();\n"
                        + "    private static final class Guard { static final Object LOCK = new Object(); }\n");
        guardedOnline.put("        return List.copyOf(online);", "        synchronized (Guard.LOCK) { return List.copyOf(online); }");
        guardedOnline.put("            online.add(from);", "            synchronized (Guard.LOCK) { online.add(from); }");
        guardedOnline.put("                online.remove(from);", "                synchronized (Guard.LOCK) { online.remove(from); }");
        Map<String, String> guardedSessions = new LinkedHashMap<>();
        guardedSessions.put("    private final Map<InetSocketAddress, Session> sessions = new ConcurrentHashMap<>();\n",
                "    private final Map<InetSocketAddress, Session> sessions = new java.util.HashMap<>();\n"
                        + "    private static final class Guard { static final Object LOCK = new Object(); }\n");
        guardedSessions.put("            sessions.put(client, session);", "            synchronized (Guard.LOCK) { sessions.put(client, session); }");
        guardedSessions.put("                sessions.remove(client);", "                synchronized (Guard.LOCK) { sessions.remove(client); }");
        guardedSessions.put("            sessions.remove(session.client, session);",
                "            synchronized (Guard.LOCK) { sessions.remove(session.client, session); }");
        guardedSessions.put("        return List.copyOf(sessions.keySet());", "        synchronized (Guard.LOCK) { return List.copyOf(sessions.keySet()); }");
        guardedSessions.put("        Session session = sessions.get(client);",
                "        Session session; synchronized (Guard.LOCK) { session = sessions.get(client); }");
        guardedSessions.put("        List<Session> open = List.copyOf(sessions.values());",
                "        List<Session> open; synchronized (Guard.LOCK) { open = List.copyOf(sessions.values()); }");
        record Guarded(String lab, String file, Map<String, String> changes, String check) {
        }
        for (Guarded guarded : List.of(
                new Guarded("lab4", "org/tcpworkbook/lab4/ChatServer.java", guardedOnline, "changes who is online and the count only under a lock"),
                new Guarded("lab5", "org/tcpworkbook/lab5/ClosingServer.java", guardedSessions, "keeps its sessions in collections"))) {
            LabLayout layout = LabLayout.of(ROOT, guarded.lab());
            String solution = Files.readString(layout.solution().resolve(guarded.file()), StandardCharsets.UTF_8);
            String variant = solution;
            for (Map.Entry<String, String> change : guarded.changes().entrySet()) {
                assertThat(variant).as("%s's solution still has the line this control changes", guarded.lab()).contains(change.getKey());
                variant = variant.replace(change.getKey(), change.getValue());
            }
            Path folder = Files.createDirectories(dir.resolve(guarded.lab() + "-guarded"));
            String className = Path.of(guarded.file()).getFileName().toString().replace(".java", "");
            Files.writeString(folder.resolve(className + Fixture.PATCH), SourcePatch.unifiedDiff(solution, variant));
            Files.writeString(folder.resolve(Fixture.PROPERTIES), "lab=" + guarded.lab() + "\nbug=none: a plain collection,"
                    + " every use under a lock in a nested class\nexpect=.\n");
            Mutant mutant = compile(Fixture.load(folder));
            for (int run = 1; run <= 2; run++) {
                CheckerResult result = CheckerRun.of(mutant.lab()).onlyTestsNamed(Pattern.compile(Pattern.quote(guarded.check()))).run();
                assertThat(result.tests()).as(listing(result)).hasSize(1);
                assertThat(result.allSuccessful()).as("run %d: %s", run, listing(result)).isTrue();
            }
        }
    }

    /**
     * A leak fixture runs as often again in the leak JVM, and both rates are reported. When the
     * catalogue (which runs first) ran leak fixtures, their runs show it, and no JVMs are started
     * for this; else (the catalogue filtered to fixtures without a leak) a catalogue of one leak
     * fixture is run here.
     */
    @Test
    @Order(2)
    void a_leak_fixture_also_runs_in_the_leak_jvm(@TempDir Path dir) throws Exception {
        Map<String, List<Trial>> leakFixtures = new TreeMap<>();
        synchronized (trials) {
            trials.stream().filter(t -> t.fixture().leak() && !t.fixture().name().startsWith("lab0"))
                    .forEach(t -> leakFixtures.computeIfAbsent(t.fixture().name(), k -> new ArrayList<>()).add(t));
        }
        if (!leakFixtures.isEmpty()) {
            for (List<Trial> runs : leakFixtures.values()) {
                long inLeakJvm = runs.stream().filter(Trial::leakJvm).count();
                assertThat(inLeakJvm).as("runs of %s in the leak JVM, of %d", runs.get(0).fixture().name(), runs.size())
                        .isPositive().isEqualTo(runs.size() - inLeakJvm);
                String name = runs.get(0).fixture().name();
                assertThat(report(runs, false)).as("the catalogue's table reports both rates of %s", name)
                        .containsPattern("(?m)^" + Pattern.quote(name) + " +lab\\d +leak +" + Rate.of(runs.stream()
                                .filter(t -> !t.leakJvm()).toList()) + " +" + Rate.of(runs.stream().filter(Trial::leakJvm).toList()) + " ");
            }
            return;
        }
        Path catalogued = Fixture.folder(ROOT).resolve("lab1-failed-trial-open");
        Path folder = Files.createDirectories(dir.resolve("lab1-failed-trial-open-leak"));
        Files.copy(catalogued.resolve("Ports.java.patch"), folder.resolve("Ports.java.patch"));
        Files.writeString(folder.resolve(Fixture.PROPERTIES), Files.readString(catalogued.resolve(Fixture.PROPERTIES),
                StandardCharsets.UTF_8) + "\nleak=true\nruns=20\n", StandardCharsets.UTF_8);
        List<Trial> runs;
        try (Catalogue leaky = Catalogue.start(List.of(folder), 1, dir.resolve("work"), fixture -> 2)) {
            runs = leaky.await(folder);
            assertThat(leaky.jvmProblems()).isEmpty();
            assertThat(leaky.describeJvms()).isEqualTo("1 runner JVMs + 1 leak JVM");
        }
        trials.addAll(runs);
        assertThat(runs).extracting(Trial::leakJvm).containsExactlyInAnyOrder(false, false, true, true);
        assertThat(runs).allMatch(Trial::rejected, "rejected");
        assertThat(report(runs, false)).contains("control lab1-failed-trial-open-leak (" + runs.get(0).fixture().bug() + "): rejected");
    }

    /**
     * A mutant that leaves a thread spinning (a busy loop the kit abandons but cannot stop) does not
     * keep a runner JVM busy for every fixture after it: the runner ends after the job, and a fresh
     * one takes the next fixture, which is judged as ever.
     */
    @Test
    void a_runner_left_with_a_busy_thread_is_replaced_and_the_next_fixture_still_runs(@TempDir Path dir) throws Exception {
        LabLayout lab1 = LabLayout.of(ROOT, "lab1");
        Path catalogued = Fixture.folder(ROOT).resolve("lab1-dns-lookup"); // rejected by its named check, in milliseconds
        Path source = Files.createDirectories(dir.resolve("src")).resolve("Addresses.java");
        Files.copy(lab1.solution().resolve("org/tcpworkbook/lab1/Addresses.java"), source);
        String solution = Files.readString(source, StandardCharsets.UTF_8);
        SourcePatch.read(catalogued.resolve("Addresses" + Fixture.PATCH)).applyTo(source);
        String entry = "    public static AddressInfo classify(String literal) {\n";
        String mutant = Files.readString(source, StandardCharsets.UTF_8);
        assertThat(mutant).as("lab1's solution still has the line this control changes").contains(entry);
        String spinning = mutant.replace(entry, entry + "        Thread spin = new Thread(() -> { while (true) { Thread.onSpinWait(); } }, \"spinner\");"
                + " // MUTANT: and a busy thread nobody ends\n        spin.setDaemon(true);\n        spin.start();\n");
        Path busy = Files.createDirectories(dir.resolve("lab1-a-busy"));
        Files.writeString(busy.resolve("Addresses" + Fixture.PATCH), SourcePatch.unifiedDiff(solution, spinning));
        Files.copy(catalogued.resolve(Fixture.PROPERTIES), busy.resolve(Fixture.PROPERTIES));
        Path after = Files.createDirectories(dir.resolve("lab1-b-after"));
        Files.copy(catalogued.resolve("Addresses" + Fixture.PATCH), after.resolve("Addresses" + Fixture.PATCH));
        Files.copy(catalogued.resolve(Fixture.PROPERTIES), after.resolve(Fixture.PROPERTIES));
        try (Catalogue catalogue = Catalogue.start(List.of(busy, after), 1, dir.resolve("work"), fixture -> 1)) {
            assertThat(catalogue.order()).as("the order the runner takes them in").containsExactly(busy, after);
            assertThat(catalogue.await(busy)).singleElement().matches(Trial::rejected, "rejected");
            List<Trial> next = catalogue.await(after);
            assertThat(catalogue.jvmProblems()).isEmpty();
            assertThat(catalogue.retirements()).singleElement().asString()
                    .startsWith("lab1-a-busy left thread \"spinner\" running at ").containsPattern("ms of CPU in \\d+ ms$");
            assertThat(catalogue.describeJvms()).isEqualTo("2 runner JVMs, 1 replaced after a mutant's busy thread");
            assertThat(next).singleElement().matches(Trial::rejected, "rejected, in the fresh runner");
        }
    }

    /** The runner JVMs run the checkers as this one would (the kit's platform settings, an agent), and the leak JVM with less room. */
    @Test
    void a_fixture_jvm_gets_this_jvms_arguments_and_the_leak_jvm_a_small_heap_and_a_forced_collection(@TempDir Path dir) {
        List<String> ours = FixtureJvm.inherited();
        assertThat(ours).as("this JVM's arguments (surefire's argLine)")
                .contains("-Dfile.encoding=ISO-8859-1", "-Dline.separator=" + System.lineSeparator())
                .anyMatch(a -> a.startsWith("-Djdk.net.hosts.file="));
        assertThat(System.lineSeparator()).as("the kit's platform.args reach this JVM").isEqualTo("\r\n");
        List<String> runner = FixtureJvm.command(false, dir);
        assertThat(runner.subList(1, 1 + ours.size())).isEqualTo(ours);
        assertThat(runner).doesNotContain(FixtureJvm.SMALL_HEAP, "-D" + FixtureJvm.LEAK_GC + "=true");
        List<String> leak = FixtureJvm.command(true, dir);
        assertThat(leak.subList(1, 1 + ours.size())).isEqualTo(ours);
        assertThat(leak.subList(1 + ours.size(), leak.size())).contains(FixtureJvm.SMALL_HEAP, "-D" + FixtureJvm.LEAK_GC + "=true");
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
        Trial trial = new Trial(fixture, result(false, split, charset, passes), good, Duration.ofMillis(800), false, false);
        assertThat(table(List.of(trial))).contains("lab7-naive                         lab7      3      2  rejected  61.00 s (+0.80 s)"
                + "  named            expect.1: reassembles; expect.2: sends");

        // Rates: a fixture asking for 3 runs (and 3 more in the leak JVM) must have all 6, each rejected.
        Fixture leaky = fixture.withRuns(3);
        Fixture leakFixture = new Fixture(leaky.name(), leaky.dir(), leaky.lab(), leaky.bug(), leaky.expectations(),
                leaky.expectTest(), leaky.patches(), 3, true, false);
        Trial rejected = new Trial(leakFixture, trial.result(), good, Duration.ZERO, false, false);
        Trial rejectedInLeakJvm = new Trial(leakFixture, trial.result(), good, Duration.ZERO, false, true);
        Trial survivedInLeakJvm = new Trial(leakFixture, result(false, passes), survived, Duration.ZERO, true, true);
        String saved = System.clearProperty("proof.fixtures.runs");
        String savedRates = System.clearProperty(Rates.PROPERTY);
        try {
            assertRejectedEveryRun(leakFixture, List.of(rejected, rejected, rejected, rejectedInLeakJvm, rejectedInLeakJvm, rejectedInLeakJvm));
            assertThatThrownBy(() -> assertRejectedEveryRun(leakFixture,
                    List.of(rejected, rejected, rejected, rejectedInLeakJvm, survivedInLeakJvm, rejectedInLeakJvm)))
                    .hasMessageContaining("in every run: rejected in 2/3 runs in the leak JVM")
                    .hasMessageContaining("the first run that was not (leak JVM)");
            assertThatThrownBy(() -> assertRejectedEveryRun(leakFixture, List.of(rejected, rejected, rejectedInLeakJvm)))
                    .hasMessageContaining("expected 3 runs and 3 in the leak JVM, got 2 and 1");
        } finally {
            if (saved != null) {
                System.setProperty("proof.fixtures.runs", saved);
            }
            if (savedRates != null) {
                System.setProperty(Rates.PROPERTY, savedRates);
            }
        }
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
