package org.tcpworkbook.kit.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The run for graders, from the same {@link LabRun} as the report and the record: an Exercism
 * test-runner results file (interface version 3) and a Gradescope autograder results file.
 *
 * <p>Exercism: {@code version} 3; {@code status} {@code pass} (every check passed), {@code fail}, or
 * {@code error} when no check ran at all (its {@code message} then says why; otherwise null);
 * {@code tests} in the order they ran, which is the checker's (task order, and the order a task's
 * checks are written), each with {@code name}, {@code status} ({@code pass}; {@code fail} for a
 * failed assertion; {@code error} for an exception, the skeleton's "not implemented" among them, or a
 * check that did not run), {@code message} (what went wrong, as the report words it; null when it
 * passed), {@code output} (null: a check prints nothing of its own, it says everything in its
 * message) and {@code task_id} (the task's number; left out for a check outside any task). A skipped
 * check (an assumption this machine did not meet) counts as passed, as it does in the report, with
 * the reason as its message.
 *
 * <p>Gradescope: one test per check, {@code number} "task.check" (e.g. "3.2"), {@code name}
 * "Task 3: title &gt; check", {@code status} {@code passed}/{@code failed}, {@code output}; a task's
 * points ({@link Points}) are split over its checks as their {@code max_score} (to the hundredth, the
 * last check taking the rest, so that they add up exactly), and each check scores its share only when
 * the whole task is done: a task earns its points only when every check of it passes, as in the
 * gradebook. Top level: {@code score} (the sum), and {@code output}, the student's progress report.
 */
final class GradingResults {

    /** Exercism shows at most this much of a test's output. */
    static final int OUTPUT_LIMIT = 500;

    private GradingResults() {
    }

    static Map<String, Object> exercism(LabRun run) {
        List<Object> tests = new ArrayList<>();
        boolean failed = false;
        boolean ranAny = false;
        for (LabRun.Task task : run.tasks()) {
            for (LabRun.Check check : task.checks()) {
                tests.add(exercismTest(check, task.number()));
                failed |= check.failed();
                ranAny |= check.status() != LabRun.Status.NOT_RUN;
            }
        }
        for (LabRun.Check check : run.others()) {
            tests.add(exercismTest(check, -1));
            failed |= check.failed();
            ranAny |= check.status() != LabRun.Status.NOT_RUN;
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("version", 3);
        if (!ranAny) {
            String why = run.tasks().stream().flatMap(t -> t.checks().stream()).findFirst()
                    .or(() -> run.others().stream().findFirst()).map(LabRun.Check::firstLine).orElse("");
            results.put("status", "error");
            results.put("message", "no check ran" + (why.isEmpty() ? "" : ": " + why));
        } else {
            results.put("status", failed ? "fail" : "pass");
            results.put("message", null);
        }
        results.put("tests", tests);
        return results;
    }

    private static Map<String, Object> exercismTest(LabRun.Check check, int task) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("name", check.name());
        test.put("status", switch (check.status()) {
            case PASSED, SKIPPED, ABORTED -> "pass";
            case FAILED -> check.failure() instanceof AssertionError ? "fail" : "error";
            case NOT_RUN -> "error";
        });
        test.put("message", check.status() == LabRun.Status.PASSED ? null : LabRun.details(check).strip());
        test.put("output", null);
        if (task >= 0) {
            test.put("task_id", task);
        }
        return test;
    }

    static Map<String, Object> gradescope(LabRun run, IntUnaryOperator points) {
        List<Object> tests = new ArrayList<>();
        BigDecimal score = BigDecimal.ZERO;
        for (LabRun.Task task : run.tasks()) {
            List<BigDecimal> shares = split(points.applyAsInt(task.number()), task.checks().size());
            long failing = task.failing();
            for (int i = 0; i < task.checks().size(); i++) {
                LabRun.Check check = task.checks().get(i);
                BigDecimal earned = task.done() ? shares.get(i) : BigDecimal.ZERO;
                score = score.add(earned);
                String output = check.failed() ? LabRun.details(check).strip()
                        : task.done() ? ""
                        : "This check passes; " + task.title() + " earns its points when all its " + task.checks().size()
                                + " checks pass (" + failing + " still failing).";
                tests.add(gradescopeTest(task.title() + " > " + check.name(), task.number() + "." + (i + 1), earned, shares.get(i),
                        check, output));
            }
        }
        for (LabRun.Check check : run.others()) {
            tests.add(gradescopeTest(check.path(), null, BigDecimal.ZERO, BigDecimal.ZERO, check,
                    check.failed() ? LabRun.details(check).strip() : ""));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("score", score);
        results.put("output", run.report().strip());
        results.put("tests", tests);
        return results;
    }

    private static Map<String, Object> gradescopeTest(String name, String number, BigDecimal score, BigDecimal max,
            LabRun.Check check, String output) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("name", name);
        if (number != null) {
            test.put("number", number);
        }
        test.put("score", score);
        test.put("max_score", max);
        test.put("status", check.failed() ? "failed" : "passed");
        test.put("output", output);
        return test;
    }

    /** {@code points} over {@code parts}, to the hundredth, the last part taking the rest: they add up to {@code points}. */
    static List<BigDecimal> split(int points, int parts) {
        List<BigDecimal> shares = new ArrayList<>();
        BigDecimal each = BigDecimal.valueOf(points).divide(BigDecimal.valueOf(parts), 2, RoundingMode.DOWN);
        for (int i = 0; i < parts - 1; i++) {
            shares.add(each);
        }
        shares.add(BigDecimal.valueOf(points).subtract(each.multiply(BigDecimal.valueOf(parts - 1))));
        return shares;
    }
}
