package org.tcpworkbook.proof;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tcpworkbook.proof.CheckerResult.Status;
import org.tcpworkbook.proof.CheckerResult.TestOutcome;

/**
 * Grades a class: every lab of every submission, with this workbook's pristine checkers.
 *
 * <p>A submission is a folder named after its student, holding the student's copy of the workbook
 * or only their {@code labs/labN/src/main/java}. For each submission and each lab it has, one
 * child JVM (this JVM's arguments: the kit's platform, the socket-tracking agent) compiles the
 * pristine lab's given code with the student's {@code src/main/java}, and the pristine kit and
 * checker, and runs the checker; it never reads the student's checker or kit. Each child is bounded
 * in time and in output, and as many run at once as the machine has cores. A submission that does
 * not compile, hangs, floods its output, ends the JVM ({@code System.exit}) or edited the checker
 * gets a row that says so, and the run goes on.
 *
 * <p>A task earns its point when every check tagged with it passed; the row names the first check
 * that failed. Results: {@code gradebook.csv} (student, lab, task, points, max, verdict, first
 * failing check) and {@code gradebook.html} (student × lab).
 */
public final class Gradebook {

    /** How the grading is bounded. */
    public record Limits(Duration timeout, long outputBytes, int jobs) {
        public static Limits defaults() {
            return new Limits(Duration.ofMinutes(4), 2_000_000, Runtime.getRuntime().availableProcessors());
        }
    }

    /** One cell of the gradebook: a student's task, or a whole lab when it could not be run. */
    public record Row(String student, String lab, String task, int points, int max, String verdict, String firstFailure) {
    }

    /** How one child JVM ended. */
    record Outcome(String student, String lab, CheckerResult result, String problem, String note, Duration took) {
    }

    private static final Pattern TASK_TAG = Pattern.compile("@Tag\\(\"(task-\\d+)\"\\)");

    private final Path root;
    private final Limits limits;
    private final Path work;

    public Gradebook(Path workbookRoot, Limits limits, Path work) {
        this.root = workbookRoot;
        this.limits = limits;
        this.work = work;
    }

    /** Grades every submission folder under {@code submissions}; writes the CSV and HTML into {@code out}. */
    public List<Row> grade(Path submissions, Path out) throws IOException, InterruptedException {
        List<Path> students;
        try (Stream<Path> list = Files.list(submissions)) {
            students = list.filter(Files::isDirectory).sorted().toList();
        }
        List<LabLayout> labs = LabLayout.all(root);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, limits.jobs()));
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
            for (Path student : students) {
                for (LabLayout lab : labs) {
                    Path code = student.resolve("labs").resolve(lab.name()).resolve("src/main/java");
                    if (Files.isDirectory(code)) {
                        futures.add(pool.submit(() -> run(student, lab, code)));
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                Outcome outcome;
                try {
                    outcome = future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("grading itself failed", e.getCause());
                }
                System.out.printf(Locale.ROOT, "gradebook: %s %s: %s in %.1f s%n", outcome.student(), outcome.lab(),
                        outcome.problem() != null ? outcome.problem() : outcome.result().summary(), outcome.took().toMillis() / 1000.0);
                rows.addAll(rows(outcome, tasks(LabLayout.of(root, outcome.lab()))));
            }
            Files.createDirectories(out);
            Files.writeString(out.resolve("gradebook.csv"), csv(rows), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("gradebook.html"), html(rows), StandardCharsets.UTF_8);
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The lab's tasks, from the pristine checker's {@code @Tag("task-N")}s. */
    static List<String> tasks(LabLayout lab) {
        TreeSet<String> tasks = new TreeSet<>((a, b) -> Integer.compare(number(a), number(b)));
        try (Stream<Path> walk = Files.walk(lab.checker())) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher tag = TASK_TAG.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (tag.find()) {
                    tasks.add(tag.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(tasks);
    }

    private static int number(String task) {
        return Integer.parseInt(task.substring("task-".length()));
    }

    /** Runs one student's lab in a child JVM, bounded; never throws for what the submission does. */
    Outcome run(Path student, LabLayout lab, Path code) throws IOException, InterruptedException {
        String name = student.getFileName().toString();
        String note = checkerEdited(student, lab);
        Path dir = work.resolve(name).resolve(lab.name());
        Files.createDirectories(dir);
        Path result = dir.resolve("result.ser");
        Path compileError = dir.resolve("compile-error.txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FixtureJvm.inherited());
        command.add("-Dworkbook.root=" + root);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Child.class.getName());
        command.addAll(List.of(root.toString(), lab.name(), code.toString(), dir.toString(),
                Long.toString(limits.timeout().toMillis())));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        AtomicLong bytes = new AtomicLong();
        AtomicBoolean flooded = new AtomicBoolean();
        Thread drain = new Thread(() -> drain(process, dir.resolve("output.txt"), bytes, flooded), "gradebook output of " + name);
        drain.setDaemon(true);
        drain.start();
        boolean ended = process.waitFor(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        drain.join(TimeUnit.SECONDS.toMillis(10));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (flooded.get()) {
            return new Outcome(name, lab.name(), null, "output flood: more than " + limits.outputBytes()
                    + " bytes printed; stopped", note, took);
        }
        if (!ended) {
            return new Outcome(name, lab.name(), null, "timed out: still running after " + limits.timeout().toSeconds()
                    + " s; stopped", note, took);
        }
        if (Files.isRegularFile(compileError)) {
            String first = Files.readAllLines(compileError, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("error")).findFirst().orElse("");
            return new Outcome(name, lab.name(), null, "does not compile: " + first.strip(), note, took);
        }
        if (!Files.isRegularFile(result)) {
            return new Outcome(name, lab.name(), null, "the JVM ended before the checker finished (exit code "
                    + process.exitValue() + "): System.exit in the submission, or a crash", note, took);
        }
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(result))) {
            return new Outcome(name, lab.name(), (CheckerResult) in.readObject(), null, note, took);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the child's output, keeping the first 64 KB; past the limit, kills the child. */
    private void drain(Process process, Path log, AtomicLong bytes, AtomicBoolean flooded) {
        try (InputStream in = process.getInputStream(); OutputStream out = Files.newOutputStream(log)) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                long before = bytes.getAndAdd(n);
                if (before < 65_536) {
                    out.write(buffer, 0, (int) Math.min(n, 65_536 - before));
                }
                if (bytes.get() > limits.outputBytes()) {
                    flooded.set(true);
                    process.destroyForcibly();
                    return;
                }
            }
        } catch (IOException e) {
            // the child is gone; its verdict says why
        }
    }

    /** A note if the student's copy of the lab's checker or of the kit differs from the pristine one. */
    String checkerEdited(Path student, LabLayout lab) throws IOException {
        List<String> edited = new ArrayList<>();
        compare(lab.checker(), student.resolve("labs").resolve(lab.name()).resolve("src/test/java"), "checker", edited);
        compare(lab.kitDir(), student.resolve("labs/kit"), "kit", edited);
        return edited.isEmpty() ? null : "edited the " + String.join(" and the ", edited) + " (graded with the pristine one)";
    }

    private static void compare(Path pristine, Path copy, String what, List<String> edited) throws IOException {
        if (!Files.isDirectory(copy)) {
            return; // only src/main/java handed in
        }
        Map<String, byte[]> a = contents(pristine);
        Map<String, byte[]> b = contents(copy);
        boolean same = a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
        if (!same) {
            edited.add(what);
        }
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> result = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                if (!relative.startsWith("target/") && !relative.contains("/target/")) {
                    result.put(relative, Files.readAllBytes(file));
                }
            }
        }
        return result;
    }

    /** The rows of one outcome: one per task, or one for the whole lab when it could not run. */
    static List<Row> rows(Outcome outcome, List<String> tasks) {
        List<Row> rows = new ArrayList<>();
        String note = outcome.note() == null ? "" : "; " + outcome.note();
        if (outcome.result() == null || outcome.result().timedOut() || outcome.result().tests().isEmpty()) {
            String problem = outcome.problem() != null ? outcome.problem()
                    : outcome.result().timedOut() ? "timed out: the checker did not finish" : "no checker test ran: " + outcome.result().problems();
            for (String task : tasks) {
                rows.add(new Row(outcome.student(), outcome.lab(), task, 0, 1, problem + note, ""));
            }
            return rows;
        }
        for (String task : tasks) {
            List<TestOutcome> tests = outcome.result().select(t -> t.hasTag(task));
            Optional<TestOutcome> failed = tests.stream().filter(t -> t.status() != Status.SUCCESSFUL).findFirst();
            boolean passed = !tests.isEmpty() && failed.isEmpty();
            String first = failed.map(t -> t.displayName() + ": " + firstLine(t.message() != null ? t.message() : String.valueOf(t.failure())))
                    .orElse(tests.isEmpty() ? "no check of this task ran" : "");
            rows.add(new Row(outcome.student(), outcome.lab(), task, passed ? 1 : 0, 1,
                    (passed ? "passed" : "failed") + note, first));
        }
        return rows;
    }

    /** The message's first lines, joined, up to 300 characters: enough to name the check's first case. */
    private static String firstLine(String text) {
        String lines = String.join(" / ", text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).limit(3).toList());
        return lines.length() > 300 ? lines.substring(0, 300) + "..." : lines;
    }

    static String csv(List<Row> rows) {
        StringBuilder csv = new StringBuilder("student,lab,task,points,max,verdict,first_failing_check\n");
        for (Row row : rows) {
            csv.append(String.join(",", quote(row.student()), quote(row.lab()), quote(row.task()), Integer.toString(row.points()),
                    Integer.toString(row.max()), quote(row.verdict()), quote(row.firstFailure()))).append('\n');
        }
        return csv.toString();
    }

    private static String quote(String field) {
        return field.matches("[\\w .:-]*") ? field : "\"" + field.replace("\"", "\"\"") + "\"";
    }

    /** One row per student, one column per lab: points of max, each task's verdict in a list below. */
    static String html(List<Row> rows) {
        Map<String, Map<String, List<Row>>> table = new java.util.TreeMap<>();
        TreeSet<String> labs = new TreeSet<>((a, b) -> Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3))));
        for (Row row : rows) {
            table.computeIfAbsent(row.student(), s -> new java.util.TreeMap<>()).computeIfAbsent(row.lab(), l -> new ArrayList<>()).add(row);
            labs.add(row.lab());
        }
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"><title>Gradebook</title>\n"
                + "<style>body{font-family:sans-serif}td,th{border:1px solid #999;padding:4px;vertical-align:top}"
                + "table{border-collapse:collapse}.fail{color:#a00}.pass{color:#070}small{display:block}</style></head><body>\n"
                + "<h1>Gradebook</h1>\n<table>\n<tr><th>student</th>");
        labs.forEach(lab -> html.append("<th>").append(escape(lab)).append("</th>"));
        html.append("<th>total</th></tr>\n");
        for (Map.Entry<String, Map<String, List<Row>>> student : table.entrySet()) {
            html.append("<tr><td>").append(escape(student.getKey())).append("</td>");
            int total = 0;
            int max = 0;
            for (String lab : labs) {
                List<Row> cells = student.getValue().getOrDefault(lab, List.of());
                int points = cells.stream().mapToInt(Row::points).sum();
                int of = cells.stream().mapToInt(Row::max).sum();
                total += points;
                max += of;
                html.append("<td>").append(cells.isEmpty() ? "not handed in" : points + " / " + of);
                for (Row cell : cells) {
                    html.append("<small class=\"").append(cell.points() == cell.max() ? "pass" : "fail").append("\">")
                            .append(escape(cell.task() + ": " + cell.verdict() + (cell.firstFailure().isEmpty() ? "" : " — " + cell.firstFailure())))
                            .append("</small>");
                }
                html.append("</td>");
            }
            html.append("<td>").append(total).append(" / ").append(max).append("</td></tr>\n");
        }
        return html.append("</table>\n</body></html>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * The child JVM: compiles the pristine lab with the student's code and runs the pristine
     * checker; writes {@code result.ser}, or {@code compile-error.txt}; then ends this JVM at once,
     * whatever threads the submission left running.
     * Arguments: workbook root, lab, the student's src/main/java, a work folder, the time bound in ms.
     */
    static final class Child {
        public static void main(String[] args) throws IOException {
            Path root = Path.of(args[0]);
            LabLayout lab = LabLayout.of(root, args[1]);
            Path code = Path.of(args[2]);
            Path dir = Path.of(args[3]);
            Duration bound = Duration.ofMillis(Long.parseLong(args[4]));
            CompiledLab compiled;
            try (LabCompiler compiler = new LabCompiler()) {
                compiled = compiler.compile(lab.sources(code, "submission"), dir.resolve("classes"));
            } catch (LabCompiler.CompilationFailedException e) {
                Files.writeString(dir.resolve("compile-error.txt"), e.getMessage(), StandardCharsets.UTF_8);
                System.out.flush();
                Runtime.getRuntime().halt(0);
                return;
            }
            // The parent's bound is the one that acts: this one only ends a run the parent has given up on.
            CheckerResult result = CheckerRun.of(compiled).withTimeout(bound.plusSeconds(30)).run();
            Path partial = dir.resolve("result.ser.part");
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(partial))) {
                out.writeObject(result);
            }
            Files.move(partial, dir.resolve("result.ser"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println(String.format(Locale.ROOT, "%s: %s", args[1], result.summary()));
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
