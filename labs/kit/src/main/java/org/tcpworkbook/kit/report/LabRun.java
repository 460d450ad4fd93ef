package org.tcpworkbook.kit.report;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.tcpworkbook.kit.Notes;

/**
 * One run of a checker, by task: what the report prints and the record keeps.
 *
 * <p>The report of an untouched skeleton of lab 2, say:
 * <pre>
 * Lab 2: the chat client: 0 of 7 tasks done (0 of 28 checks pass)
 *   Task 1: ChatClient.connect                not started
 *   Task 2: ChatClient.send                   not started (needs Task 1 first)
 *   ...
 * Task 1: ChatClient.connect, its first failing check: "connects to the reference server"
 *     Not implemented yet (connecting to ...): Task 1: implement ChatClient.connect (notes: lab2.html#task-connect)
 *   Stuck? Hints, one at a time: (notes: lab2.html#lab2-task1-hint1)
 * next: Task 1: ChatClient.connect
 * </pre>
 */
final class LabRun {

    enum Status {
        PASSED, FAILED, ABORTED, SKIPPED, NOT_RUN;

        String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /** How one check ended. */
    record Result(Status status, Throwable failure, String reason) {
    }

    /** A check as reported: its name below its task ("rejects bad input", "Edge cases > empty line"). */
    record Check(String name, String path, Status status, Throwable failure, String reason) {
        boolean failed() {
            return status == Status.FAILED || status == Status.NOT_RUN;
        }

        /** The task number an UnsupportedOperationException of the skeleton names; 0 if it names none; -1 if none. */
        int notImplemented() {
            int depth = 0;
            for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
                if (t instanceof UnsupportedOperationException) {
                    Matcher m = SKELETON.matcher(String.valueOf(t.getMessage()));
                    return m.find() ? Integer.parseInt(m.group(1)) : 0;
                }
            }
            // A checker that words the skeleton's exception into its own message ("client 1 waited
            // 1000 ms ... Not implemented yet (...): Task 1: implement ChatServer.serve ...").
            depth = 0;
            for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
                String message = String.valueOf(t.getMessage());
                Matcher m = QUOTED_SKELETON.matcher(message);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                if (message.contains(NOT_IMPLEMENTED)) {
                    return 0;
                }
            }
            return -1;
        }

        /** The first line of what went wrong, or the reason it did not run. */
        String firstLine() {
            String text = failure != null ? message(failure) : reason;
            return text == null ? "" : text.strip().lines().findFirst().orElse("");
        }
    }

    /** The skeleton's "Task 3: implement ChatServer.serve (notes: ...)". */
    private static final Pattern SKELETON = Pattern.compile("^Task (\\d{1,6}): implement");
    /** The kit's Student.await words it "Not implemented yet (doing X): Task 3: implement ...". */
    private static final String NOT_IMPLEMENTED = "Not implemented yet";
    private static final Pattern QUOTED_SKELETON = Pattern.compile("Not implemented yet \\(.*?\\): Task (\\d{1,6}): implement",
            Pattern.DOTALL);
    private static final Pattern LAB_PACKAGE = Pattern.compile("(?:^|\\.)(lab\\d{1,3})\\.");
    /** At most this many lines of one check's message in the report; the IDE and surefire-reports keep all. */
    static final int MESSAGE_LINES = 80;

    /** A task: the checks of the {@code @Nested} class tagged {@code task-N}. */
    record Task(int number, String title, List<Check> checks) {
        long count(Status status) {
            return checks.stream().filter(c -> c.status() == status).count();
        }

        long failing() {
            return checks.stream().filter(Check::failed).count();
        }

        boolean ran() {
            return count(Status.PASSED) + failing() > 0;
        }

        boolean done() {
            return failing() == 0 && count(Status.PASSED) > 0;
        }

        boolean notStarted() {
            return !checks.isEmpty() && checks.stream().allMatch(c -> c.status() == Status.FAILED && c.notImplemented() >= 0);
        }

        /** "done", "not started", "failing" or "not run", as the record keeps it. */
        String state() {
            return !ran() ? "not run" : done() ? "done" : notStarted() ? "not started" : "failing";
        }

        /** The words after the task's title in the report. */
        String summary() {
            long skipped = count(Status.SKIPPED) + count(Status.ABORTED);
            String more = skipped == 0 ? "" : " (" + skipped + " skipped)";
            if (!ran()) {
                return "not run" + more;
            }
            if (done()) {
                return "done" + more;
            }
            if (notStarted()) {
                List<Integer> named = checks.stream().map(Check::notImplemented).filter(n -> n > 0).distinct().sorted().toList();
                String needs = named.isEmpty() || named.contains(number) ? ""
                        : " (needs " + String.join(", ", named.stream().map(n -> "Task " + n).toList()) + " first)";
                return "not started" + needs;
            }
            return failing() + " of " + checks.size() + " checks failing" + more;
        }
    }

    private final String lab;
    private final String title;
    private final Class<?> checkerClass;
    private final Instant time;
    private final List<Task> tasks;
    private final List<Check> others;
    /** Only some of the checker's checks ran (-Dtest=..., one task or check from an IDE). */
    private final boolean partial;

    private LabRun(String lab, String title, Class<?> checkerClass, Instant time, List<Task> tasks, List<Check> others,
            boolean partial) {
        this.lab = lab;
        this.title = title;
        this.checkerClass = checkerClass;
        this.time = time;
        this.tasks = tasks;
        this.others = others;
        this.partial = partial;
    }

    boolean partial() {
        return partial;
    }

    String lab() {
        return lab;
    }

    List<Task> tasks() {
        return tasks;
    }

    /** The checks outside any task. */
    List<Check> others() {
        return others;
    }

    /** What task {@code number} is worth: the checker's points.properties ({@link Points}). */
    int points(int number) {
        return Points.of(checkerClass == null ? null : checkerClass.getClassLoader(), number);
    }

    /** The run as the plan and the results give it; checks in the order they ran. */
    static LabRun of(TestPlan plan, Map<String, Result> results) {
        Map<Integer, String> titles = new TreeMap<>();
        Map<Integer, List<Check>> byTask = new TreeMap<>();
        List<Check> others = new ArrayList<>();
        String lab = null;
        String title = null;
        String checkerClassName = null;
        for (TestIdentifier test : testsInOrder(plan)) {
            Deque<TestIdentifier> path = new ArrayDeque<>(); // from the top-level class down to the test
            for (TestIdentifier node = test; node != null && node.getParentIdObject().isPresent();
                    node = plan.getParent(node).orElse(null)) {
                path.addFirst(node);
            }
            TestIdentifier top = path.peekFirst();
            TestIdentifier taskNode = null;
            int task = -1;
            for (TestIdentifier node : path) {
                Optional<Integer> n = TaskOrder.task(node.getTags().stream().map(TestTag::getName).toList());
                if (n.isPresent() && !node.isTest()) {
                    taskNode = node;
                    task = n.get();
                    break;
                }
            }
            if (task < 0) {
                // a test method tagged itself, or no task at all
                Optional<Integer> n = TaskOrder.task(test.getTags().stream().map(TestTag::getName).toList());
                task = n.orElse(-1);
            }
            List<String> names = new ArrayList<>();
            boolean below = taskNode == null;
            for (TestIdentifier node : path) {
                if (below && node != top) {
                    names.add(node.getDisplayName());
                }
                if (node == taskNode) {
                    below = true;
                }
            }
            String fullPath = String.join(" > ", path.stream().map(TestIdentifier::getDisplayName).toList());
            Result r = results.getOrDefault(test.getUniqueId(), new Result(Status.NOT_RUN, null, "did not run"));
            Check check = new Check(String.join(" > ", names), fullPath, r.status(), r.failure(), r.reason());
            if (task < 0) {
                others.add(check);
                continue;
            }
            byTask.computeIfAbsent(task, k -> new ArrayList<>()).add(check);
            titles.putIfAbsent(task, taskNode != null ? taskNode.getDisplayName() : "Task " + task);
            String className = className(top);
            if (lab == null && className != null) {
                Matcher m = LAB_PACKAGE.matcher(className);
                if (m.find()) {
                    lab = m.group(1);
                    title = top.getDisplayName();
                    checkerClassName = className;
                }
            }
        }
        List<Task> tasks = new ArrayList<>();
        byTask.forEach((n, checks) -> tasks.add(new Task(n, titles.get(n), List.copyOf(checks))));
        Class<?> checker = load(checkerClassName);
        boolean partial = false;
        if (checker != null) {
            java.util.Set<String> ran = new java.util.HashSet<>();
            for (TestIdentifier test : testsInOrder(plan)) {
                if (test.getSource().orElse(null) instanceof MethodSource m && m.getClassName().startsWith(checker.getName())) {
                    ran.add(m.getClassName() + "#" + m.getMethodName() + "(" + m.getMethodParameterTypes() + ")");
                }
            }
            partial = ran.size() < testableMethods(checker);
        }
        return new LabRun(lab, title, checker, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                List.copyOf(tasks), List.copyOf(others), partial);
    }

    /** The checks the checker class declares: methods JUnit can run (@Test and the like), in it and its @Nested classes. */
    static int testableMethods(Class<?> type) {
        int count = 0;
        try {
            for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
                for (java.lang.annotation.Annotation a : m.getDeclaredAnnotations()) {
                    if (a.annotationType().isAnnotationPresent(org.junit.platform.commons.annotation.Testable.class)) {
                        count++;
                        break;
                    }
                }
            }
            for (Class<?> inner : type.getDeclaredClasses()) {
                if (inner.isAnnotationPresent(org.junit.jupiter.api.Nested.class)) {
                    count += testableMethods(inner);
                }
            }
        } catch (LinkageError e) {
            return 0; // cannot tell: take the run as whole
        }
        return count;
    }

    private static List<TestIdentifier> testsInOrder(TestPlan plan) {
        List<TestIdentifier> tests = new ArrayList<>();
        Deque<TestIdentifier> stack = new ArrayDeque<>();
        List<TestIdentifier> roots = new ArrayList<>(plan.getRoots());
        for (int i = roots.size() - 1; i >= 0; i--) {
            stack.push(roots.get(i));
        }
        while (!stack.isEmpty()) {
            TestIdentifier node = stack.pop();
            if (node.isTest()) {
                tests.add(node);
            }
            List<TestIdentifier> children = new ArrayList<>(plan.getChildren(node));
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.push(children.get(i));
            }
        }
        return tests;
    }

    private static String className(TestIdentifier node) {
        TestSource source = node.getSource().orElse(null);
        if (source instanceof ClassSource c) {
            return c.getClassName();
        }
        if (source instanceof MethodSource m) {
            return m.getClassName();
        }
        return null;
    }

    private static Class<?> load(String className) {
        if (className == null) {
            return null;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return Class.forName(className, false, loader != null ? loader : LabRun.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** The first task not done, in task order (one that did not run this time is passed over). */
    Optional<Task> next() {
        return tasks.stream().filter(t -> t.ran() && !t.done()).findFirst();
    }

    /** The report, its lines ending with "\n". */
    String report() {
        StringBuilder out = new StringBuilder();
        if (tasks.isEmpty()) {
            return summaryWithoutTasks();
        }
        long passed = tasks.stream().mapToLong(t -> t.count(Status.PASSED)).sum();
        long checks = tasks.stream().mapToLong(t -> t.checks().size()).sum();
        long done = tasks.stream().filter(Task::done).count();
        out.append("\n").append(title == null ? "Progress" : title).append(": ")
                .append(done == tasks.size() ? "all " + done : done + " of " + tasks.size()).append(" tasks done (")
                .append(passed).append(" of ").append(checks).append(" checks pass)\n");
        int width = Math.min(60, tasks.stream().mapToInt(t -> t.title().length()).max().orElse(0));
        for (Task task : tasks) {
            out.append("  ").append(pad(task.title(), width)).append("  ").append(task.summary()).append('\n');
        }
        List<Check> otherFailures = others.stream().filter(Check::failed).toList();
        if (!otherFailures.isEmpty()) {
            out.append("  ").append(pad("Other checks", width)).append("  ").append(otherFailures.size()).append(" of ")
                    .append(others.size()).append(" failing\n");
        }
        if (partial) {
            out.append("  (only some checks ran, so this run is not recorded: run the whole lab to see your progress)\n");
        }
        Optional<Task> next = next();
        if (next.isPresent()) {
            Task task = next.get();
            Check first = task.checks().stream().filter(Check::failed).findFirst().orElseThrow();
            out.append('\n').append(task.title()).append(", its first failing check: \"").append(first.name()).append("\"\n");
            out.append(indent(details(first), "    "));
            if (lab != null) {
                out.append("  Stuck? Hints, one at a time: ").append(Notes.hint(lab, task.number())).append('\n');
            }
            out.append("next: ").append(task.title()).append('\n');
        } else if (tasks.stream().allMatch(Task::done)) {
            out.append(otherFailures.isEmpty() ? "Every task is done.\n" : "Every task is done; see the other checks above.\n");
        }
        return out.toString();
    }

    private String summaryWithoutTasks() {
        List<Check> failures = others.stream().filter(Check::failed).toList();
        long passed = others.stream().filter(c -> c.status() == Status.PASSED).count();
        StringBuilder out = new StringBuilder("\n").append(passed).append(" of ").append(others.size())
                .append(" tests pass").append(failures.isEmpty() ? "" : "; failing:").append('\n');
        int shown = 0;
        for (Check c : failures) {
            if (shown++ == 20) {
                out.append("  ... and ").append(failures.size() - 20).append(" more\n");
                break;
            }
            out.append("  - ").append(c.path()).append(": ").append(c.firstLine()).append('\n');
        }
        return out.toString();
    }

    /** What went wrong, in full: the check's message, and where in the code for an unexpected exception. */
    static String details(Check check) {
        if (check.failure() == null) {
            return (check.reason() == null ? check.status().word() : check.reason()) + "\n";
        }
        Throwable t = check.failure();
        StringBuilder out = new StringBuilder();
        if (t instanceof AssertionError || check.notImplemented() >= 0) {
            out.append(message(t));
        } else {
            out.append(t).append('\n');
            int shown = 0;
            for (StackTraceElement frame : t.getStackTrace()) {
                String c = frame.getClassName();
                if (c.startsWith("org.tcpworkbook.") && !c.startsWith("org.tcpworkbook.kit.") && shown++ < 6) {
                    out.append("  at ").append(frame).append('\n');
                }
            }
        }
        List<String> lines = out.toString().strip().lines().toList();
        if (lines.size() > MESSAGE_LINES) {
            lines = new ArrayList<>(lines.subList(0, MESSAGE_LINES));
            lines.add("... (" + (out.toString().strip().lines().count() - MESSAGE_LINES)
                    + " more lines: see the check in your IDE, or target/surefire-reports)");
        }
        return String.join("\n", lines) + "\n";
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : m.replace("\r\n", "\n");
    }

    private static String indent(String text, String prefix) {
        StringBuilder out = new StringBuilder();
        text.lines().forEach(l -> out.append(l.isEmpty() ? "" : prefix + l).append('\n'));
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /**
     * Where this run is recorded: {@code target/workbook/last-run.json} of the lab module whose
     * compiled checker ran (target/solutions/... when checked against the reference solutions); empty when the checker was not
     * compiled into a lab module's build folder (the proof compiles it into a temporary folder), and
     * when only some checks ran: the record keeps whole runs, so that a run of one task from an
     * IDE does not make the progress table forget the others.
     */
    Optional<Path> recordFile() {
        if (lab == null || checkerClass == null || partial) {
            return Optional.empty();
        }
        try {
            CodeSource source = checkerClass.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return Optional.empty();
            }
            Path classes = Path.of(location.toURI());
            if (!Files.isDirectory(classes) || !classes.getFileName().toString().equals("test-classes")) {
                return Optional.empty();
            }
            Path build = classes.getParent();
            Path module = build;
            while (module != null && !Files.isRegularFile(module.resolve("pom.xml"))) {
                module = module.getParent();
            }
            if (module == null || module.getFileName() == null || !module.getFileName().toString().equals(lab)) {
                return Optional.empty();
            }
            return Optional.of(build.resolve("workbook").resolve("last-run.json"));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes the record, and beside it the same run for graders ({@link GradingResults}):
     * {@code exercism/results.json} and {@code gradescope/results.json}. Each file replaces the last
     * one in one step, so a reader never sees half of it.
     */
    void writeRecord(Path file) throws IOException {
        Path folder = file.getParent();
        write(folder.resolve("exercism").resolve("results.json"), Json.write(GradingResults.exercism(this)));
        write(folder.resolve("gradescope").resolve("results.json"), Json.write(GradingResults.gradescope(this, this::points)));
        write(file, json());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The record: {@code {"lab", "title", "time", "tasks": [{"id", "number", "title", "state",
     * "passed", "total", "checks": [{"name", "status", "message"}]}], "other": [checks]}}; a check's
     * message is the first line of what went wrong.
     */
    String json() {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"lab\": ").append(Json.quote(lab)).append(",\n");
        out.append("  \"title\": ").append(Json.quote(title)).append(",\n");
        out.append("  \"time\": ").append(Json.quote(time.toString())).append(",\n");
        out.append("  \"tasks\": [");
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(Json.quote("task-" + t.number()))
                    .append(", \"number\": ").append(t.number())
                    .append(", \"title\": ").append(Json.quote(t.title()))
                    .append(", \"state\": ").append(Json.quote(t.state()))
                    .append(", \"summary\": ").append(Json.quote(t.summary()))
                    .append(", \"passed\": ").append(t.count(Status.PASSED))
                    .append(", \"total\": ").append(t.checks().size())
                    .append(",\n      \"checks\": ").append(checks(t.checks(), "      ")).append('}');
        }
        out.append(tasks.isEmpty() ? "],\n" : "\n  ],\n");
        out.append("  \"other\": ").append(checks(others, "  ")).append("\n}\n");
        return out.toString();
    }

    private static String checks(List<Check> checks, String indent) {
        if (checks.isEmpty()) {
            return "[]";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            out.append(i == 0 ? "\n" : ",\n").append(indent).append("  {\"name\": ").append(Json.quote(c.name()))
                    .append(", \"status\": ").append(Json.quote(c.status().word()))
                    .append(", \"message\": ").append(c.status() == Status.PASSED ? "null" : Json.quote(c.firstLine())).append('}');
        }
        return out.append('\n').append(indent).append(']').toString();
    }
}
