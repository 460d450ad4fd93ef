package org.tcpworkbook.proof;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What one run of a checker did, test by test. Serializable, so that a run in another JVM can
 * report it ({@link FixtureJvm}).
 *
 * @param label         the build that was checked, e.g. {@code lab1 (skeleton)}
 * @param tests         every test that was discovered or registered, in execution order
 * @param problems      failures not attributable to one test (a class whose @BeforeAll threw, an engine
 *                      that rejected the discovery); each is also copied to the tests it prevented
 * @param configuration the JUnit configuration parameters the run saw, for the keys in {@link CheckerRun#REPORTED_KEYS}
 * @param excluded      top-level checker classes that hold tests but that surefire's default includes
 *                      ({@code Test*, *Test, *Tests, *TestCase}) leave out; they are not run here either
 *                      (not looked for in a run of only some tests, {@link CheckerRun#onlyTestsNamed})
 * @param duration      wall time of discovery + execution
 * @param timedOut      the run exceeded its bound and was abandoned: some tests are {@link Status#NOT_FINISHED}
 */
public record CheckerResult(String label, List<TestOutcome> tests, List<String> problems,
                            Map<String, String> configuration, List<String> excluded,
                            Duration duration, boolean timedOut) implements Serializable {

    public CheckerResult {
        tests = List.copyOf(tests);
        problems = List.copyOf(problems);
        configuration = Map.copyOf(configuration);
        excluded = List.copyOf(excluded);
    }

    public enum Status { SUCCESSFUL, FAILED, ABORTED, SKIPPED, NOT_FINISHED }

    /**
     * One test.
     *
     * @param uniqueId    JUnit's unique id
     * @param displayName the display names from the top-level class down, joined with " > "
     * @param tags        its tags, including those inherited from enclosing classes and containers
     * @param status      how it ended
     * @param message     the failure's message as the student sees it (null if it passed or the throwable had none)
     * @param failure     the throwable's class name and message ({@code Throwable.toString()}), or null
     * @param duration    from start to finish (zero if it never started)
     */
    public record TestOutcome(String uniqueId, String displayName, Set<String> tags, Status status,
                              String message, String failure, Duration duration) implements Serializable {

        public TestOutcome {
            tags = Set.copyOf(tags);
        }

        public boolean hasTag(String tag) {
            return tags.contains(tag);
        }

        /** The {@code task-N} tags. */
        public Set<String> taskTags() {
            return tags.stream().filter(t -> t.matches("task-\\d+")).collect(Collectors.toCollection(java.util.TreeSet::new));
        }

        @Override
        public String toString() {
            return displayName + " " + tags + ": " + status + (failure == null ? "" : " (" + failure + ")");
        }
    }

    public List<TestOutcome> with(Status status) {
        return select(t -> t.status() == status);
    }

    public List<TestOutcome> select(Predicate<TestOutcome> predicate) {
        return tests.stream().filter(predicate).toList();
    }

    public Optional<TestOutcome> find(String displayNameSuffix) {
        return tests.stream().filter(t -> t.displayName().endsWith(displayNameSuffix)).findFirst();
    }

    /** At least one test ran, every test passed, and nothing else failed. */
    public boolean allSuccessful() {
        return !tests.isEmpty() && problems.isEmpty() && !timedOut
                && tests.stream().allMatch(t -> t.status() == Status.SUCCESSFUL);
    }

    /** One line: label, counts by status, time. */
    public String summary() {
        Map<Status, Long> counts = tests.stream().collect(Collectors.groupingBy(TestOutcome::status, Collectors.counting()));
        return label + ": " + tests.size() + " tests, " + counts + (problems.isEmpty() ? "" : ", " + problems.size() + " problems")
                + (timedOut ? ", TIMED OUT" : "") + ", " + duration.toMillis() + " ms";
    }

    /** Every test, one a line, with its failure. */
    public String describe() {
        StringBuilder text = new StringBuilder(summary());
        tests.forEach(t -> text.append("\n  ").append(t));
        problems.forEach(p -> text.append("\n  problem: ").append(p));
        return text.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
