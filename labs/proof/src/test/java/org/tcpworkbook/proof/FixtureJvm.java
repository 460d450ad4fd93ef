package org.tcpworkbook.proof;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tcpworkbook.proof.Catalogue.Job;
import org.tcpworkbook.proof.FixturesTest.Mutant;
import org.tcpworkbook.proof.FixturesTest.Trial;

/**
 * A runner JVM of the catalogue: it runs compiled fixtures that the {@link Catalogue} hands it,
 * one at a time, and compiles nothing. Each runner counts only its own threads and sockets, so the
 * checkers' leak checks cannot see another runner's runs.
 *
 * <p>It is started with this JVM's own arguments ({@link #command}: the surefire argLine, with the
 * kit's platform settings and any {@code -javaagent}), so its checkers run as this JVM's would; the
 * leak JVM adds {@value #SMALL_HEAP} and {@code -D}{@value #LEAK_GC}{@code =true}. The protocol, one
 * line each way on the child's standard output and input: {@code @@hello ARGS} (its arguments,
 * Base64, checked by the parent), {@code @@next}, answered by {@code @@job ...} or {@code @@end},
 * and {@code @@done ID} once a job's runs are written to {@code results/ID.ser}; after it, a child
 * that a job left with a thread still running Java code (a mutant's busy loop, which the kit abandons
 * but cannot stop) says {@code @@retire WHY} and ends, and the catalogue starts a fresh runner in its
 * place: such a thread would otherwise take a core from every later run of this JVM, and so the
 * speed, and perhaps the verdict, of fixtures that have nothing to do with it. Anything else the
 * child prints goes to its log.
 */
final class FixtureJvm {
    static final String SMALL_HEAP = "-Xmx64m";
    static final String LEAK_GC = "kit.leakcheck.gc";
    /** System properties given at run time (not as JVM arguments) that a runner needs too. */
    private static final List<String> PASSED_ON = List.of("workbook.root", "surefire.test.class.path", "java.io.tmpdir",
            "proof.fixtures.runs", "proof.verbose");
    private static final String HELLO = "@@hello ";
    private static final String NEXT = "@@next";
    private static final String JOB = "@@job";
    private static final String END = "@@end";
    private static final String DONE = "@@done ";
    private static final String RETIRE = "@@retire ";
    /** CPU time a thread left behind must use in {@link #WINDOW} to count as busy (a blocked one uses next to none). */
    private static final Duration BUSY = Duration.ofMillis(10);
    private static final Duration WINDOW = Duration.ofMillis(100);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fixture JVM watchdog");
        thread.setDaemon(true);
        return thread;
    });

    /** One run as the child reports it; the parent judges it again. */
    record Run(CheckerResult result, boolean whole) implements Serializable {
    }

    private final Catalogue catalogue;
    private final boolean leak;
    private final Process process;
    private final Path work;
    private final Path log;
    private volatile Job current;
    private volatile String stopped;
    private volatile String retired;

    private FixtureJvm(Catalogue catalogue, boolean leak, Process process, Path work, Path log) {
        this.catalogue = catalogue;
        this.leak = leak;
        this.process = process;
        this.work = work;
        this.log = log;
    }

    static FixtureJvm start(Catalogue catalogue, boolean leak, Path work) throws IOException {
        Files.createDirectories(work.resolve("results"));
        Path log = work.resolve("jvm.log");
        Process process = new ProcessBuilder(command(leak, work)).redirectError(log.toFile()).start();
        FixtureJvm jvm = new FixtureJvm(catalogue, leak, process, work, log);
        Thread reader = new Thread(jvm::serve, "fixture JVM " + work.getFileName());
        reader.setDaemon(true);
        reader.start();
        return jvm;
    }

    /** This JVM's java, its arguments, for the leak JVM a small heap and a forced collection before each leak check; then the runner. */
    static List<String> command(boolean leak, Path work) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(inherited());
        for (String key : PASSED_ON) {
            String value = System.getProperty(key);
            if (value != null) {
                command.add("-D" + key + "=" + value);
            }
        }
        if (leak) {
            command.add(SMALL_HEAP);
            command.add("-D" + LEAK_GC + "=true");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FixtureJvm.class.getName());
        command.add(work.toString());
        command.add(Boolean.toString(leak));
        return command;
    }

    /** This JVM's arguments but a debugger's (whose port a second JVM could not take). */
    static List<String> inherited() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp") && !a.equals("-Xdebug"))
                .toList();
    }

    boolean leak() {
        return leak;
    }

    boolean alive() {
        return process.isAlive();
    }

    void destroy() {
        process.destroyForcibly();
    }

    /** The parent's side: answers the child's lines until it ends. */
    private void serve() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(HELLO)) {
                    checkArguments(line.substring(HELLO.length()));
                } else if (line.equals(NEXT)) {
                    Job job = catalogue.next(leak);
                    current = job;
                    if (job == null) {
                        in.write(END + "\n");
                    } else {
                        CompiledLab lab = job.mutant().get().lab();
                        in.write(String.join("\t", JOB, Integer.toString(job.id()), Integer.toString(job.runs()),
                                job.dir().toAbsolutePath().toString(), lab.label(), lab.mainClasses().toString(),
                                lab.supportClasses().toString(), lab.checkerClasses().toString(),
                                String.join(File.pathSeparator, lab.resourceRoots().stream().map(Path::toString).toList())) + "\n");
                        long bound = job.bound().toSeconds();
                        WATCHDOG.schedule(() -> {
                            if (current == job) {
                                stopped = "the fixture JVM was still running it after " + bound + " s and was stopped";
                                process.destroyForcibly();
                            }
                        }, bound, TimeUnit.SECONDS);
                    }
                    in.flush();
                } else if (line.startsWith(DONE) && current != null && line.equals(DONE + current.id())) {
                    Job job = current;
                    List<Trial> trials = new ArrayList<>();
                    for (Run run : read(work.resolve("results").resolve(job.id() + ".ser"))) {
                        trials.add(new Trial(job.fixture(), run.result(), FixturesTest.verdict(job.fixture(), run.result()),
                                job.mutant().get().compiling(), run.whole(), leak));
                    }
                    current = null;
                    catalogue.done(job, trials);
                } else if (line.startsWith(RETIRE) && current == null) {
                    retired = line.substring(RETIRE.length());
                } else {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                }
            }
        } catch (Exception e) {
            stopped = stopped != null ? stopped : "talking to it failed: " + e;
        }
        if (retired != null && stopped == null && current == null) {
            catalogue.retired(this, retired);
            return;
        }
        String why;
        try {
            boolean ended = process.waitFor(10, TimeUnit.SECONDS);
            why = (stopped != null ? stopped : "the fixture JVM ended" + (ended ? " with exit code " + process.exitValue() : ""))
                    + " while running it; its log:\n" + tail();
        } catch (InterruptedException | IOException e) {
            why = "the fixture JVM ended while running it (" + e + ")";
        }
        Job job = current;
        current = null;
        catalogue.ended(this, job, why);
    }

    /** The child must have this JVM's arguments (and the leak JVM its two more). */
    private void checkArguments(String encoded) {
        List<String> theirs = Arrays.asList(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).split("\0", -1));
        List<String> missing = new ArrayList<>(inherited());
        if (leak) {
            missing.addAll(List.of(SMALL_HEAP, "-D" + LEAK_GC + "=true"));
        }
        missing.removeAll(theirs);
        if (!missing.isEmpty()) {
            catalogue.jvmProblem("the " + (leak ? "leak " : "") + "fixture JVM in " + work + " lacks " + missing.stream()
                    .map(FixtureJvm::escape).toList() + " of this JVM's arguments; it has " + theirs.stream().map(FixtureJvm::escape).toList());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Run> read(Path file) throws IOException, ClassNotFoundException {
        try (InputStream stream = Files.newInputStream(file); ObjectInputStream in = new ObjectInputStream(stream)) {
            return (List<Run>) in.readObject();
        }
    }

    private String tail() throws IOException {
        if (!Files.isRegularFile(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Control characters shown, for the arguments in a report ({@code -Dline.separator=\r\n}). */
    private static String escape(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }

    /** The child: WORK LEAK; the jobs come one by one on standard input. */
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        boolean leak = Boolean.parseBoolean(args[1]);
        PrintStream requests = System.out;
        System.setOut(System.err); // whatever a checker prints goes to the log, not into the requests
        String arguments = String.join("\0", ManagementFactory.getRuntimeMXBean().getInputArguments());
        requests.println(HELLO + Base64.getEncoder().encodeToString(arguments.getBytes(StandardCharsets.UTF_8)));
        BufferedReader answers = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            requests.println(NEXT);
            requests.flush();
            String line = answers.readLine();
            if (line == null || line.equals(END)) {
                break;
            }
            String[] job = line.split("\t", -1);
            Fixture fixture = Fixture.load(Path.of(job[3]));
            List<Path> resources = job[8].isEmpty() ? List.of()
                    : Arrays.stream(job[8].split(File.pathSeparator)).map(Path::of).toList();
            Mutant mutant = new Mutant(new CompiledLab(job[4], Path.of(job[5]), Path.of(job[6]), Path.of(job[7]), resources), Duration.ZERO);
            List<Run> runs = new ArrayList<>();
            Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
            for (int i = 0, n = Integer.parseInt(job[2]); i < n; i++) {
                Trial trial = FixturesTest.run(fixture, mutant, leak);
                runs.add(new Run(trial.result(), trial.whole()));
            }
            Path results = work.resolve("results").resolve(job[1] + ".ser");
            Path partial = results.resolveSibling(job[1] + ".part");
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial));
                 ObjectOutputStream out = new ObjectOutputStream(file)) {
                out.writeObject(runs);
            }
            Files.move(partial, results);
            requests.println(DONE + job[1]);
            Optional<String> busy = busyThread(before);
            if (busy.isPresent()) {
                requests.println(RETIRE + fixture.name() + " left " + busy.get());
                requests.flush();
                break;
            }
            requests.flush();
        }
        System.exit(0); // a mutant's abandoned thread must not keep this JVM alive
    }

    /**
     * A thread started since {@code before} that is still running Java code (runnable, its top frame
     * not a native method such as a socket read) and keeps using the CPU: {@link #BUSY} or more of
     * the {@link #WINDOW} measured. A thread blocked in a read, a sleep or a lock is not one, nor one on
     * its way to block. Measured only when there is such a thread: most jobs leave none.
     */
    static Optional<String> busyThread(Set<Thread> before) throws InterruptedException {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return Optional.empty();
        }
        java.util.Map<Thread, Long> running = new java.util.HashMap<>();
        for (var entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            StackTraceElement[] stack = entry.getValue();
            if (!before.contains(thread) && thread != Thread.currentThread() && thread.getState() == Thread.State.RUNNABLE
                    && stack.length > 0 && !stack[0].isNativeMethod()) {
                running.put(thread, mx.getThreadCpuTime(thread.getId()));
            }
        }
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Thread.sleep(WINDOW.toMillis()); // a measurement: the CPU time these threads use in this window
        for (var entry : running.entrySet()) {
            Thread thread = entry.getKey();
            long used = mx.getThreadCpuTime(thread.getId()) - entry.getValue();
            StackTraceElement[] stack = thread.getStackTrace();
            if (entry.getValue() >= 0 && used >= BUSY.toNanos() && stack.length > 0) {
                return Optional.of("thread \"" + thread.getName() + "\" running at " + stack[0] + ", "
                        + Duration.ofNanos(used).toMillis() + " ms of CPU in " + WINDOW.toMillis() + " ms");
            }
        }
        return Optional.empty();
    }
}
