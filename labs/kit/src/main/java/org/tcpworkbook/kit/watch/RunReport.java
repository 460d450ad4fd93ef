package org.tcpworkbook.kit.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * What one run of the checker found, task by task: the watch loop's own record, from which it
 * tells the first unfinished task (for the next hint) and, where the kit's progress report is
 * not there, prints a short summary.
 *
 * @param passed   checks that passed
 * @param skipped  checks skipped or aborted (an assumption that did not hold): as under surefire,
 *                 they neither pass nor fail, and leave their task done if the rest passed
 * @param failed   checks that did not pass, as "Task K: ... > display name: first line of the message",
 *                 by task number (untagged last), in the order they ran within a task
 * @param tasks    for each task number (tag {@code task-K}), whether all its checks passed
 * @param checker  how long the checker ran (discovery included)
 * @param problem  a crash of the launcher or a timeout of the whole run, else null
 */
public record RunReport(int passed, int skipped, List<String> failed, Map<Integer, Boolean> tasks, Duration checker, String problem) {

    public RunReport {
        failed = List.copyOf(failed);
        tasks = Map.copyOf(tasks);
    }

    public boolean allPassed() {
        return problem == null && failed.isEmpty() && passed > 0;
    }

    /** The lowest task number with a check that did not pass. */
    public OptionalInt firstUnfinishedTask() {
        return tasks.entrySet().stream().filter(e -> !e.getValue()).mapToInt(Map.Entry::getKey).min();
    }

    /** Listens to one run and builds its report. */
    static final class Recorder implements TestExecutionListener {
        private static final Pattern TASK = Pattern.compile("task-(\\d+)");
        private TestPlan plan;
        private int passed;
        private int skipped;
        private final Map<Integer, List<String>> failed = new TreeMap<>();
        private final Map<Integer, Boolean> tasks = new TreeMap<>();
        private final Map<String, Boolean> seen = new HashMap<>();

        @Override
        public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public synchronized void executionSkipped(TestIdentifier id, String reason) {
            for (TestIdentifier test : testsUnder(id)) {
                if (seen.putIfAbsent(test.getUniqueId(), Boolean.TRUE) == null) {
                    skipped++;
                }
            }
        }

        @Override
        public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (result.getStatus() == TestExecutionResult.Status.ABORTED && id.isTest()) {
                if (seen.putIfAbsent(id.getUniqueId(), Boolean.TRUE) == null) {
                    skipped++;
                }
                return;
            }
            boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            String why = result.getThrowable().map(t -> t.getMessage() == null ? t.toString() : t.getMessage()).orElse("");
            if (id.isTest()) {
                note(id, ok, why);
            } else if (!ok) {
                // a container that failed (its @BeforeAll threw): its checks that did not run fail with it
                for (TestIdentifier test : testsUnder(id)) {
                    if (!seen.containsKey(test.getUniqueId())) {
                        note(test, false, why);
                    }
                }
            }
        }

        private void note(TestIdentifier test, boolean ok, String why) {
            if (seen.putIfAbsent(test.getUniqueId(), ok) != null) {
                return;
            }
            Set<Integer> numbers = taskNumbers(test);
            for (int task : numbers) {
                tasks.merge(task, ok, Boolean::logicalAnd);
            }
            if (ok) {
                passed++;
            } else {
                String first = why.strip().lines().findFirst().orElse("");
                int task = numbers.isEmpty() ? Integer.MAX_VALUE : numbers.iterator().next();
                failed.computeIfAbsent(task, k -> new ArrayList<>()).add(path(test) + (first.isEmpty() ? "" : ": " + first));
            }
        }

        private Set<Integer> taskNumbers(TestIdentifier test) {
            Set<Integer> numbers = new TreeSet<>();
            for (TestIdentifier node = test; node != null; node = parent(node)) {
                node.getTags().forEach(tag -> {
                    Matcher m = TASK.matcher(tag.getName());
                    if (m.matches()) {
                        numbers.add(Integer.parseInt(m.group(1)));
                    }
                });
            }
            return numbers;
        }

        /** "Task 3: ChatServer.serve > closes ...": display names below the top-level class. */
        private String path(TestIdentifier test) {
            List<String> names = new ArrayList<>();
            for (TestIdentifier node = test; node != null && parent(node) != null && parent(parent(node)) != null; node = parent(node)) {
                names.add(0, node.getDisplayName());
            }
            return names.isEmpty() ? test.getDisplayName() : String.join(" > ", names);
        }

        private TestIdentifier parent(TestIdentifier id) {
            return plan == null ? null : plan.getParent(id).orElse(null);
        }

        private List<TestIdentifier> testsUnder(TestIdentifier id) {
            if (id.isTest()) {
                return List.of(id);
            }
            return plan == null ? List.of() : plan.getDescendants(id).stream().filter(TestIdentifier::isTest).toList();
        }

        synchronized RunReport report(Duration took, String problem) {
            List<String> all = new ArrayList<>();
            failed.values().forEach(all::addAll);
            return new RunReport(passed, skipped, all, tasks, took, problem);
        }
    }
}
