package org.tcpworkbook.kit.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends every checker run with the student's progress report: one line per task, then the first
 * failing check of the first unfinished task in full, then "next: Task N" (see {@link LabRun}).
 * It also records the run in the lab's build folder ({@code target/workbook/last-run.json}), which
 * {@code java progress.java} (in labs/) reads to show the progress across the course.
 *
 * <p>A JUnit Platform listener registered through {@code META-INF/services}, so it runs wherever JUnit
 * runs the checker: under Maven's surefire, in an IDE, in a loop that uses the JUnit Platform
 * Launcher. A run whose configuration parameter or system property {@value #SWITCH} is {@code off}
 * (the proof's hundreds of in-process runs) gets neither report nor record. A run of tests that
 * carry no {@code task-N} tag (the kit's own tests) gets a short summary and no record.
 */
public final class ProgressReport implements TestExecutionListener {

    /** {@code workbook.report=off}: no report, no record. */
    public static final String SWITCH = "workbook.report";

    private final java.util.function.Consumer<String> out;
    private TestPlan plan;
    private boolean off;
    private LabRun lastRun;

    /** The listener that ServiceLoader creates: it prints to System.out, in UTF-8. */
    public ProgressReport() {
        this(Console::print);
    }

    /** A report that hands its text (lines ending with "\n") to {@code out}: for tests. */
    ProgressReport(java.util.function.Consumer<String> out) {
        this.out = out;
    }

    /** The last run this listener saw to its end, if any. */
    synchronized LabRun lastRun() {
        return lastRun;
    }
    private final Map<String, LabRun.Result> results = new HashMap<>();

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        results.clear();
        String setting = testPlan.getConfigurationParameters().get(SWITCH)
                .orElseGet(() -> System.getProperty(SWITCH, "on"));
        off = "off".equalsIgnoreCase(setting.strip());
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        if (plan == null || off) {
            return;
        }
        for (TestIdentifier test : testsUnder(id)) {
            results.putIfAbsent(test.getUniqueId(), new LabRun.Result(LabRun.Status.SKIPPED, null, reason));
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (plan == null || off) {
            return;
        }
        Throwable failure = result.getThrowable().orElse(null);
        LabRun.Status status = switch (result.getStatus()) {
            case SUCCESSFUL -> LabRun.Status.PASSED;
            case ABORTED -> LabRun.Status.ABORTED;
            case FAILED -> LabRun.Status.FAILED;
        };
        if (id.isTest()) {
            results.put(id.getUniqueId(), new LabRun.Result(status, failure, null));
        } else if (status != LabRun.Status.PASSED) {
            // A class whose set-up failed: its checks did not run, and fail (or abort) with its error.
            for (TestIdentifier test : testsUnder(id)) {
                results.putIfAbsent(test.getUniqueId(), new LabRun.Result(status, failure, null));
            }
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (plan == null || off) {
            return;
        }
        try {
            LabRun run = LabRun.of(plan, results);
            lastRun = run;
            out.accept(run.report());
            Optional<java.nio.file.Path> record = run.recordFile();
            if (record.isPresent()) {
                run.writeRecord(record.get());
            }
        } catch (RuntimeException | java.io.IOException | LinkageError e) {
            // The report helps; it must never be what breaks a run.
            out.accept("(the progress report failed: " + e + ")\n");
        } finally {
            plan = null;
        }
    }

    private List<TestIdentifier> testsUnder(TestIdentifier id) {
        if (id.isTest()) {
            return List.of(id);
        }
        List<TestIdentifier> tests = new ArrayList<>();
        for (TestIdentifier d : plan.getDescendants(id)) {
            if (d.isTest()) {
                tests.add(d);
            }
        }
        return tests;
    }
}
