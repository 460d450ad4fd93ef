package org.tcpworkbook.kit.watch;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

/**
 * The watch mode of a lab: one JVM that recompiles the lab's sources on every save and runs its
 * checker again, printing the progress report each time. Started from {@code labs/} with
 * {@code ../mvnw -q -pl labN test-compile exec:exec@watch} (labs/pom.xml gives it the checker's
 * JVM settings: the leak check's agent, the hosts file, the foreign charset, line separator and
 * locale).
 *
 * <p>Keys: {@code h} shows the next hint of the first unfinished task (from the chapter), {@code r}
 * runs the checker again, {@code q} or Enter quits, and so does Ctrl-C. With {@code --once} it
 * compiles and checks once and exits (0 all passed, 1 some check failed, 2 compile error), for a
 * standard input that is closed.
 */
public final class Watch implements AutoCloseable {

    /** How the watch loop was started. */
    public record Options(Path labDir, Path sources, Path build, boolean once, Summary summary,
                          Duration limit, Duration quiet) {

        /** The defaults for a lab folder: its src/main/java, its target, the fallback summary on when no report listener is found. */
        public static Options of(Path labDir) {
            Path lab = labDir.toAbsolutePath().normalize();
            return new Options(lab, lab.resolve("src/main/java"), lab.resolve("target"), false, Summary.AUTO,
                    Duration.ofMinutes(5), Duration.ofMillis(100));
        }

        public Options withSources(Path folder) {
            return new Options(labDir, folder.toAbsolutePath().normalize(), build, once, summary, limit, quiet);
        }

        public Options withBuild(Path folder) {
            return new Options(labDir, sources, folder.toAbsolutePath().normalize(), once, summary, limit, quiet);
        }

        public Options once(boolean value) {
            return new Options(labDir, sources, build, value, summary, limit, quiet);
        }

        public Options withSummary(Summary value) {
            return new Options(labDir, sources, build, once, value, limit, quiet);
        }

        public Options withLimit(Duration value) {
            return new Options(labDir, sources, build, once, summary, value, quiet);
        }
    }

    /**
     * The watch loop's own pass/fail summary: AUTO prints it only when no progress-report listener
     * of the kit is registered (so the report is never printed twice), ALWAYS and NEVER as they say.
     */
    public enum Summary { AUTO, ALWAYS, NEVER }

    /** What the loop did, for a test (or anything else) to await. Called on the loop's thread. */
    public interface Events {
        /** The sources are watched: a save from now on leads to a run. */
        default void watching() {
        }

        default void compileFailed(String errors) {
        }

        /** A hint (or why there is none) was shown. */
        default void hint(String text) {
        }

        default void ran(RunReport report) {
        }
    }

    private enum Command { RUN, RERUN, HINT, QUIT }

    private final Options options;
    private final PrintStream out;
    private final Events events;
    private final String lab;
    private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final MainCompiler compiler;
    private final CheckerRunner checker;
    private final Hints hints;
    private volatile long changeSeen;
    private Path lastClasses;
    private RunReport lastReport;
    private int runs;

    public Watch(Options options, PrintStream out, Events events) {
        this.options = options;
        this.out = out;
        this.events = events;
        this.lab = options.labDir().getFileName().toString();
        List<Path> hidden = List.of(options.build(), options.labDir().resolve("target"));
        List<Path> roots = new ArrayList<>();
        addIfDirectory(roots, options.labDir().resolve("src/given/java"));
        addIfDirectory(roots, options.labDir().resolveSibling("common").resolve("src/main/java"));
        roots.add(options.sources());
        // As in Maven: the labs' main code has no dependencies (JUnit, AssertJ are test-scoped), so
        // it compiles against the JDK alone; that also spares javac the reading of their jars.
        this.compiler = new MainCompiler(roots, List.of());
        List<Path> resources = new ArrayList<>();
        addIfDirectory(resources, options.labDir().resolve("src/main/resources"));
        this.checker = new CheckerRunner(options.build().resolve("test-classes"), resources, hidden, options.limit());
        this.hints = Hints.forLab(options.labDir());
    }

    /**
     * Compiles and checks, then (unless {@code once}) watches and waits for commands until
     * {@link #quit()}. Returns the exit status of the last run: 0 all checks passed, 1 some did
     * not, 2 the sources did not compile.
     */
    public int loop() throws IOException, InterruptedException {
        if (!Files.isDirectory(options.sources())) {
            throw new IllegalArgumentException("no sources to watch: " + options.sources() + " is not a folder");
        }
        if (!Files.isDirectory(options.build().resolve("test-classes"))) {
            throw new IllegalStateException("no compiled checker in " + options.build().resolve("test-classes")
                    + ": start the watch with test-compile before exec:exec@watch");
        }
        deleteTree(options.build().resolve("watch"));
        if (options.once()) {
            return cycle(false);
        }
        int status;
        // Watching from before the first compilation: a save during it is not lost.
        try (SourceWatcher watcher = new SourceWatcher(List.of(options.sources()), options.quiet(), this::changed)) {
            events.watching();
            status = cycle(false);
            say("watching " + relative(options.sources()) + keysHelp());
            for (Command c; (c = commands.take()) != Command.QUIT; ) {
                if (c == Command.HINT) {
                    hint();
                    continue;
                }
                boolean moreSaves = false;
                while (commands.remove(Command.RUN)) {
                    moreSaves = true; // saves that came while the last run ran: one run covers them
                }
                boolean fromChange = c == Command.RUN || moreSaves;
                if (fromChange) {
                    say("change seen, compiling");
                }
                status = cycle(fromChange);
            }
        } finally {
            close();
        }
        say("bye");
        return status;
    }

    /** Stops the loop after the run in progress. */
    public void quit() {
        commands.add(Command.QUIT);
    }

    /** As a key press: 'h' next hint, 'r' run again, 'q' or '\n' quit; anything else shows the keys. */
    public void key(int key) {
        switch (key) {
            case 'h' -> commands.add(Command.HINT);
            case 'r' -> commands.add(Command.RERUN);
            case 'q', '\n' -> quit();
            default -> say("keys:" + keysHelp());
        }
    }

    private void changed() {
        changeSeen = System.nanoTime();
        commands.add(Command.RUN);
    }

    /** One compilation and, if it succeeded, one run of the checker. */
    private int cycle(boolean fromChange) throws IOException, InterruptedException {
        long start = fromChange && changeSeen != 0 ? changeSeen : System.nanoTime();
        changeSeen = 0;
        runs++;
        long compileStart = System.nanoTime();
        MainCompiler.Result compiled = compiler.compile(options.build().resolve("watch/main-" + runs));
        long compileMillis = millisSince(compileStart);
        if (!compiled.ok()) {
            out.print(compiled.errors() + "\n");
            say(compiled.errorCount() + (compiled.errorCount() == 1 ? " error" : " errors")
                    + ": nothing checked. Fix and save again." + keysHelp());
            events.compileFailed(compiled.errors());
            deleteTree(compiled.classes());
            return 2;
        }
        RunReport.Recorder recorder = new RunReport.Recorder();
        CheckerRunner.Ran ran = checker.run(compiled.classes(), recorder);
        String problem = ran.crash() != null ? "the JUnit launcher failed: " + ran.crash()
                : ran.timedOut() ? "the checker did not finish within " + options.limit().toSeconds()
                        + " s; it was abandoned (a check that never returns?)" : null;
        RunReport report = recorder.report(ran.took(), problem);
        if (options.summary() == Summary.ALWAYS || options.summary() == Summary.AUTO && !ran.reportListener()) {
            printSummary(report);
        } else if (problem != null) {
            say(problem);
        }
        say(String.format(Locale.ROOT, "report %d ms after the %s (compile %d ms, checker %d ms)%s",
                millisSince(start), fromChange ? "change was seen" : "start", compileMillis,
                report.checker().toMillis(), next(report)));
        if (lastClasses != null && !ran.timedOut()) {
            deleteTree(lastClasses);
        }
        lastClasses = compiled.classes();
        lastReport = report;
        events.ran(report);
        return report.allPassed() ? 0 : 1;
    }

    private String next(RunReport report) {
        if (options.once()) {
            return "";
        }
        OptionalInt task = report.firstUnfinishedTask();
        return task.isPresent() ? "; next: Task " + task.getAsInt() + " (h: a hint)" + keysHelp() : keysHelp();
    }

    private void printSummary(RunReport report) {
        StringBuilder s = new StringBuilder();
        int total = report.passed() + report.failed().size() + report.skipped();
        s.append(lab).append(": ").append(report.passed()).append(" of ").append(total).append(" checks pass");
        if (report.skipped() > 0) {
            s.append(" (").append(report.skipped()).append(" skipped)");
        }
        report.tasks().forEach((task, done) -> s.append("  Task ").append(task).append(done ? " done" : " open"));
        s.append('\n');
        // the first unfinished task's failures; the others only counted, to keep the loop's screen short
        String first = report.firstUnfinishedTask().stream().mapToObj(t -> "Task " + t + ":").findFirst().orElse("");
        List<String> shown = report.failed().stream().filter(f -> first.isEmpty() || f.startsWith(first)).toList();
        shown.forEach(failure -> s.append("  FAILED ").append(failure).append('\n'));
        if (shown.size() < report.failed().size()) {
            s.append("  (").append(report.failed().size() - shown.size()).append(" more failed in later tasks)\n");
        }
        if (report.problem() != null) {
            s.append("  ").append(report.problem()).append('\n');
        }
        out.print(s);
    }

    private void hint() throws IOException {
        RunReport report = lastReport;
        if (report == null) {
            say("no checker run yet: fix the compile errors first");
            return;
        }
        OptionalInt task = report.firstUnfinishedTask();
        if (task.isEmpty()) {
            say(report.allPassed() ? "every task passes: no hint needed" : "no task is tagged in this checker: no hint to show");
            return;
        }
        String text = hints.next(task.getAsInt());
        out.print("\n" + text + "\n\n");
        out.flush();
        events.hint(text);
    }

    private String keysHelp() {
        return options.once() ? "" : "  [h hint, r run, q quit]";
    }

    private void say(String message) {
        out.print("watch " + lab + ": " + message + "\n");
        out.flush();
    }

    private String relative(Path path) {
        Path base = options.labDir().getParent() == null ? options.labDir() : options.labDir().getParent();
        return path.startsWith(base) ? base.relativize(path).toString() : path.toString();
    }

    @Override
    public void close() {
        compiler.close();
    }

    private static void addIfDirectory(List<Path> list, Path dir) {
        if (Files.isDirectory(dir)) {
            list.add(dir.toAbsolutePath().normalize());
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * {@code Watch [--lab DIR] [--sources DIR] [--build DIR] [--once] [--summary auto|always|never]}:
     * the lab folder defaults to the working directory.
     */
    public static void main(String[] args) throws Exception {
        // The checks run with ISO-8859-1 as default charset; the terminal gets the system's own.
        Charset terminal = Charset.forName(System.getProperty("native.encoding", "UTF-8"));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, terminal);
        System.setOut(out);
        Options options = Options.of(Path.of(""));
        String usage = "usage: Watch [--lab DIR] [--sources DIR] [--build DIR] [--once] [--summary auto|always|never]";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            boolean valued = List.of("--lab", "--sources", "--build", "--summary").contains(arg);
            if (valued && i + 1 == args.length) {
                System.err.println("watch: " + arg + " needs a value\n" + usage);
                System.exit(64);
            }
            switch (arg) {
                case "--lab" -> options = Options.of(Path.of(args[++i]))
                        .once(options.once()).withSummary(options.summary());
                case "--sources" -> options = options.withSources(Path.of(args[++i]));
                case "--build" -> options = options.withBuild(Path.of(args[++i]));
                case "--once" -> options = options.once(true);
                case "--summary" -> {
                    try {
                        options = options.withSummary(Summary.valueOf(args[++i].toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        System.err.println("watch: --summary takes auto, always or never, not " + args[i] + "\n" + usage);
                        System.exit(64);
                    }
                }
                default -> {
                    System.err.println("watch: unknown argument " + arg + "\n" + usage);
                    System.exit(64);
                }
            }
        }
        Watch watch = new Watch(options, out, new Events() { });
        if (!options.once()) {
            Terminal.open().startReading(System.in, watch::key,
                    () -> out.print("watch: standard input closed; keys from the terminal only, if any; Ctrl-C quits\n"));
        }
        int status = watch.loop();
        // Quitting the loop is no failure: only a single check (--once) reports its verdict.
        System.exit(options.once() ? status : 0);
    }
}
