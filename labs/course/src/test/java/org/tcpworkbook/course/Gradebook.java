package org.tcpworkbook.course;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tcpworkbook.proof.CheckerResult;
import org.tcpworkbook.proof.CheckerResult.Status;
import org.tcpworkbook.proof.CheckerResult.TestOutcome;
import org.tcpworkbook.proof.CheckerRun;
import org.tcpworkbook.proof.CompiledLab;
import org.tcpworkbook.proof.LabCompiler;
import org.tcpworkbook.proof.LabLayout;

/**
 * Grades a class: every lab of every submission, with this workbook's pristine checkers.
 *
 * <p>A submission is a folder named after its student, holding the student's copy of the workbook
 * or only their {@code labs/labN/src/main/java}. For each lab, the pristine kit and checker are
 * compiled once (against the reference solution, else the skeleton: the API the student was
 * given). For each submission and each lab it has, this JVM compiles the lab's given code with the
 * student's {@code src/main/java} alone, and one child JVM (the checker's settings: the kit's
 * platform, the socket-tracking agent) runs the pristine checker over it; the student's checker and
 * kit are never read but to say they were edited. Each child is bounded in time and in output, and
 * as many run at once as the machine has cores. A submission that does not compile, hangs, floods
 * its output, ends the JVM ({@code System.exit}) or edited the checker gets a row that says so, and
 * the run goes on. A submission that changed the lab's API (a method the checker calls removed or
 * retyped) fails the checks that call it, with the {@code NoSuchMethodError} or the like named.
 *
 * <p>A task earns its points (the lab's {@code src/test/resources/points.properties}, read by the
 * kit's {@code Points}, as in the students' Gradescope results) when every check tagged with it
 * passed; the row names the first check that failed. Results: {@code gradebook.csv} (student, lab,
 * task, points, max, verdict, first failing check) and {@code gradebook.html} (student × lab).
 *
 * <p>The command ({@link #main}), from {@code labs/}:
 * <pre>
 * ../mvnw -q -Psolutions -pl course test-compile exec:exec@gradebook -Dgradebook.submissions=/path/to/class \
 *     [-Dgradebook.out=/path/to/out] [-Dgradebook.timeout=240] [-Dgradebook.jobs=N] [-Dgradebook.labs=lab1,lab2]
 * </pre>
 */
public final class Gradebook {

    /** How the grading is bounded. {@code jvm}: the arguments of each checker's JVM. */
    public record Limits(Duration timeout, long outputBytes, int jobs, List<String> jvm) {
        public Limits {
            jvm = List.copyOf(jvm);
        }

        /** 4 minutes a lab, 2 MB of output, a job per core; the JVM settings from {@code -Dgradebook.jvm} (the course pom sets it). */
        public static Limits defaults() {
            return new Limits(Duration.ofMinutes(4), 2_000_000, Runtime.getRuntime().availableProcessors(), jvmFromProperty());
        }

        public Limits with(Duration newTimeout, long newOutputBytes, int newJobs) {
            return new Limits(newTimeout, newOutputBytes, newJobs, jvm);
        }

        static List<String> jvmFromProperty() {
            String jvm = System.getProperty("gradebook.jvm", "");
            if (jvm.isBlank()) {
                throw new IllegalStateException("-Dgradebook.jvm is not set: run the gradebook through the course module"
                        + " (labs/course/pom.xml sets it to the checker's JVM settings)");
            }
            return List.of(jvm.strip().split("\\s+"));
        }
    }

    /** One cell of the gradebook: a student's task, or a whole lab when it could not be run. */
    public record Row(String student, String lab, String task, int points, int max, String verdict, String firstFailure) {
    }

    /** How one child JVM ended. */
    record Outcome(String student, String lab, CheckerResult result, String problem, String note, Duration took) {
    }

    /** A lab's pristine kit and checker, compiled once; its tasks and what each is worth. */
    record PristineLab(LabLayout layout, CompiledLab compiled, List<String> tasks, Map<String, Integer> points) {
    }

    private static final Pattern TASK_TAG = Pattern.compile("@Tag\\(\"(task-\\d+)\"\\)");

    private final Path root;
    private final Limits limits;
    private final Path work;
    private final Map<String, PristineLab> pristine = new ConcurrentHashMap<>();

    public Gradebook(Path workbookRoot, Limits limits, Path work) {
        this.root = workbookRoot;
        this.limits = limits;
        this.work = work;
    }

    /** The command: {@code -Dgradebook.submissions} (required), {@code .out}, {@code .timeout} (s), {@code .jobs} (0: a job per core), {@code .labs}. */
    public static void main(String[] args) throws Exception {
        String folder = System.getProperty("gradebook.submissions", "");
        if (folder.isBlank()) {
            System.err.println("gradebook: say which class to grade: -Dgradebook.submissions=/path/to/class"
                    + " (a folder per student, each holding a copy of the workbook or only labs/labN/src/main/java)");
            System.exit(2);
        }
        Path submissions = Path.of(folder).toAbsolutePath().normalize();
        if (!Files.isDirectory(submissions)) {
            System.err.println("gradebook: not a folder: " + submissions);
            System.exit(2);
        }
        String outSetting = System.getProperty("gradebook.out", "");
        Path out = (outSetting.isBlank() ? Path.of(submissions + "-gradebook") : Path.of(outSetting)).toAbsolutePath().normalize();
        Limits defaults = Limits.defaults();
        int jobs = Integer.getInteger("gradebook.jobs", 0);
        Limits limits = defaults.with(Duration.ofSeconds(Long.getLong("gradebook.timeout", defaults.timeout().toSeconds())),
                defaults.outputBytes(), jobs > 0 ? jobs : defaults.jobs());
        List<String> labs = List.of(System.getProperty("gradebook.labs", "").split(",")).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        Path work = Files.createTempDirectory("gradebook");
        long start = System.nanoTime();
        List<Row> rows = new Gradebook(LabLayout.workbookRoot(), limits, work).grade(submissions, out, labs);
        System.out.printf(Locale.ROOT, "gradebook: graded %s (%d rows) with %d jobs in %.1f s: %s and %s%n", submissions, rows.size(),
                limits.jobs(), (System.nanoTime() - start) / 1e9, out.resolve("gradebook.csv"), out.resolve("gradebook.html"));
        System.out.println("gradebook: each run's output and classes are in " + work + " (delete it when done)");
    }

    /** Grades every submission folder under {@code submissions}, every lab; writes the CSV and HTML into {@code out}. */
    public List<Row> grade(Path submissions, Path out) throws IOException, InterruptedException {
        return grade(submissions, out, List.of());
    }

    /** Grades the labs named in {@code only} (all if empty) of every submission under {@code submissions}. */
    public List<Row> grade(Path submissions, Path out, List<String> only) throws IOException, InterruptedException {
        List<Path> students;
        try (Stream<Path> list = Files.list(submissions)) {
            students = list.filter(Files::isDirectory).sorted().toList();
        }
        // The labs asked for that someone handed in: no other lab's checker is compiled.
        List<LabLayout> labs = LabLayout.all(root).stream().filter(l -> only.isEmpty() || only.contains(l.name()))
                .filter(l -> students.stream().anyMatch(s -> Files.isDirectory(s.resolve("labs").resolve(l.name()).resolve("src/main/java"))))
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, limits.jobs()));
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
            for (LabLayout lab : labs) {
                pristine(lab); // once per lab, before the jobs that share it
            }
            for (Path student : students) {
                for (LabLayout lab : labs) {
                    Path code = student.resolve("labs").resolve(lab.name()).resolve("src/main/java");
                    if (Files.isDirectory(code)) {
                        futures.add(pool.submit(() -> run(student, pristine(lab), code)));
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
                rows.addAll(rows(outcome, pristine.get(outcome.lab())));
            }
            Files.createDirectories(out);
            Files.writeString(out.resolve("gradebook.csv"), csv(rows), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("gradebook.html"), html(rows), StandardCharsets.UTF_8);
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The lab's pristine kit and checker, compiled the first time it is asked for. */
    PristineLab pristine(LabLayout lab) {
        return pristine.computeIfAbsent(lab.name(), name -> {
            try (LabCompiler compiler = new LabCompiler()) {
                CompiledLab compiled = compiler.compile(lab.hasSolution() ? lab.solutionSources() : lab.skeletonSources(),
                        work.resolve("_pristine").resolve(name));
                List<String> tasks = tasks(lab);
                return new PristineLab(lab, compiled, tasks, points(compiled, tasks));
            }
        });
    }

    /**
     * What each task is worth, as the kit's {@code Points} reads the lab's points.properties: the
     * class is loaded from the pristine kit just compiled, so the gradebook and the students'
     * Gradescope results count with one piece of code.
     */
    static Map<String, Integer> points(CompiledLab compiled, List<String> tasks) {
        List<Path> path = new ArrayList<>(List.of(compiled.supportClasses()));
        path.addAll(compiled.resourceRoots());
        URL[] urls = path.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(URL[]::new);
        try (URLClassLoader loader = new URLClassLoader("points of " + compiled.label(), urls, ClassLoader.getPlatformClassLoader())) {
            Method of = loader.loadClass("org.tcpworkbook.kit.report.Points").getMethod("of", ClassLoader.class, int.class);
            Map<String, Integer> points = new LinkedHashMap<>();
            for (String task : tasks) {
                points.put(task, (Integer) of.invoke(null, loader, number(task)));
            }
            return points;
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("cannot read the points of " + compiled.label() + ": " + e, e);
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

    /** Compiles one student's lab here and runs its checker in a child JVM, bounded; never throws for what the submission does. */
    Outcome run(Path student, PristineLab pristineLab, Path code) throws IOException, InterruptedException {
        LabLayout lab = pristineLab.layout();
        String name = student.getFileName().toString();
        String note = checkerEdited(student, lab);
        Path dir = work.resolve(name).resolve(lab.name());
        Files.createDirectories(dir);
        long start = System.nanoTime();
        Path main;
        try (LabCompiler compiler = new LabCompiler()) {
            main = compiler.compileMain(lab.sources(code, name), dir.resolve("main"));
        } catch (LabCompiler.CompilationFailedException e) {
            Files.writeString(dir.resolve("compile-error.txt"), e.getMessage(), StandardCharsets.UTF_8);
            String first = e.getMessage().lines().filter(l -> l.contains("error")).findFirst().orElse("");
            return new Outcome(name, lab.name(), null, "does not compile: " + first.strip(), note,
                    Duration.ofNanos(System.nanoTime() - start));
        }
        CompiledLab compiled = pristineLab.compiled().withMain(lab.name() + " (" + name + ")", main);
        Path result = dir.resolve("result.ser");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(limits.jvm());
        command.add("-Dworkbook.root=" + root);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Child.class.getName());
        command.addAll(List.of(compiled.label(), compiled.mainClasses().toString(), compiled.supportClasses().toString(),
                compiled.checkerClasses().toString(), String.join(java.io.File.pathSeparator, compiled.resourceRoots().stream().map(Path::toString).toList()),
                dir.toString(), Long.toString(limits.timeout().toMillis())));
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
        // the checker and its points (src/test/resources/points.properties)
        compare(lab.labDir().resolve("src/test"), student.resolve("labs").resolve(lab.name()).resolve("src/test"), "checker", edited);
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

    /** The rows of one outcome: one per task, or one per task saying why the lab could not run. */
    static List<Row> rows(Outcome outcome, PristineLab lab) {
        List<Row> rows = new ArrayList<>();
        String note = outcome.note() == null ? "" : "; " + outcome.note();
        if (outcome.result() == null || outcome.result().timedOut() || outcome.result().tests().isEmpty()) {
            String problem = outcome.problem() != null ? outcome.problem()
                    : outcome.result().timedOut() ? "timed out: the checker did not finish" : "no checker test ran: " + outcome.result().problems();
            for (String task : lab.tasks()) {
                rows.add(new Row(outcome.student(), outcome.lab(), task, 0, lab.points().get(task), problem + note, ""));
            }
            return rows;
        }
        for (String task : lab.tasks()) {
            List<TestOutcome> tests = outcome.result().select(t -> t.hasTag(task));
            Optional<TestOutcome> failed = tests.stream().filter(t -> t.status() != Status.SUCCESSFUL && t.status() != Status.SKIPPED
                    && t.status() != Status.ABORTED).findFirst();
            boolean passed = tests.stream().anyMatch(t -> t.status() == Status.SUCCESSFUL) && failed.isEmpty();
            String first = failed.map(t -> t.displayName() + ": " + firstLine(why(t))).orElse(tests.isEmpty() ? "no check of this task ran" : "");
            int max = lab.points().get(task);
            rows.add(new Row(outcome.student(), outcome.lab(), task, passed ? max : 0, max, (passed ? "passed" : "failed") + note, first));
        }
        return rows;
    }

    /** What went wrong in a check; for a lab whose API the submission changed, the error that says so. */
    private static String why(TestOutcome test) {
        String failure = String.valueOf(test.failure());
        if (failure.matches("java\\.lang\\.(NoSuchMethodError|NoSuchFieldError|NoClassDefFoundError|AbstractMethodError|IncompatibleClassChangeError)\\b.*")) {
            return "the submission changed the lab's API: " + failure;
        }
        return test.message() != null ? test.message() : failure;
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
     * The child JVM: runs the pristine checker over the student's classes (compiled by the parent);
     * writes {@code result.ser}; then ends this JVM at once, whatever threads the submission left
     * running. Arguments: label, main classes, kit classes, checker classes, resource folders
     * (joined by the path separator), a work folder, the time bound in ms.
     */
    static final class Child {
        public static void main(String[] args) throws IOException {
            List<Path> resources = Arrays.stream(args[4].split(java.io.File.pathSeparator)).filter(s -> !s.isEmpty()).map(Path::of).toList();
            CompiledLab compiled = new CompiledLab(args[0], Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), resources);
            Path dir = Path.of(args[5]);
            Duration bound = Duration.ofMillis(Long.parseLong(args[6]));
            // The parent's bound is the one that acts: this one only ends a run the parent has given up on.
            CheckerResult result = CheckerRun.of(compiled).withTimeout(bound.plusSeconds(30)).run();
            Path partial = dir.resolve("result.ser.part");
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(partial))) {
                out.writeObject(result);
            }
            Files.move(partial, dir.resolve("result.ser"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println(String.format(Locale.ROOT, "%s: %s", args[0], result.summary()));
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
