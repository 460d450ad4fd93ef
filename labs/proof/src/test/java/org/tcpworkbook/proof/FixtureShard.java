package org.tcpworkbook.proof;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Some of the fixtures, checked in a JVM of their own while {@link FixturesTest} checks the others:
 * the catalogue mostly waits (for a mutant's missing answer, a stop that never comes), so two JVMs
 * take half the time. Each JVM counts only its own threads and sockets, so the checkers' leak
 * checks cannot see each other's runs; a second checker in the same JVM would.
 *
 * <p>The two JVMs share one queue of fixtures, so that neither waits for the other at the end: the
 * parent starts the child with {@link #start}; the child ({@link #main}) asks for the next fixture
 * on its standard output ({@code @@next}), gets a folder or {@code @@end} on its standard input,
 * checks each fixture as {@link FixturesTest#check} does, and writes the runs to a file, which
 * the parent reads with {@link #runs}.
 */
final class FixtureShard {
    /** The system properties a checker's JVM needs, passed on to the child as they are. */
    private static final List<String> PASSED_ON = List.of("jdk.net.hosts.file", "file.encoding", "workbook.root",
            "surefire.test.class.path", "java.io.tmpdir", "proof.fixtures.runs", "proof.verbose",
            // the platform of kit/platform.args: without them the second JVM's checkers run with "\n" and the
            // machine's locale, and a println mutant is rejected or not depending on which JVM takes it
            "line.separator", "user.language", "user.country");

    /** One run of one fixture, as the child reports it: the parent loads the fixture and judges it again. */
    record Run(String fixtureDir, CheckerResult result, Duration compiling) implements Serializable {
    }

    static final String NEXT = "@@next";
    static final String END = "@@end";

    private final Process process;
    private final Path results;
    private final Path log;
    private final Duration bound;
    private final List<Path> given = new CopyOnWriteArrayList<>();
    private final Thread dispatcher;
    private Map<String, List<Run>> runs;

    private FixtureShard(Process process, Queue<Path> queue, Path results, Path log, Duration bound) {
        this.process = process;
        this.results = results;
        this.log = log;
        this.bound = bound;
        this.dispatcher = new Thread(() -> dispatch(queue), "fixture-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /** Answers the child's requests for the next fixture from {@code queue}; copies anything else it prints to the log. */
    private void dispatch(Queue<Path> queue) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
             Writer logged = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.equals(NEXT)) {
                    logged.write(line + "\n");
                    logged.flush();
                    continue;
                }
                Path next = queue.poll();
                if (next != null) {
                    given.add(next);
                }
                in.write((next == null ? END : next.toAbsolutePath().toString()) + "\n");
                in.flush();
            }
        } catch (IOException e) {
            // the child is gone: runs() reports how it ended
        }
    }

    /** The fixtures the child took from the queue, once it has finished (waiting for it, bounded). */
    List<Path> given() throws IOException, InterruptedException, ClassNotFoundException {
        awaitRuns();
        return List.copyOf(given);
    }

    /**
     * Starts a JVM that takes fixtures from {@code queue} (shared with this JVM) and checks each
     * as many times as {@link FixturesTest#runs} says, working in {@code work}. Each run is bounded by CheckerRun (60 s); the
     * JVM gets that for every fixture of the queue, and a minute more.
     */
    static FixtureShard start(Queue<Path> queue, Path work) throws IOException {
        Files.createDirectories(work);
        Path results = work.resolve("runs.ser");
        Path log = work.resolve("shard.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String key : PASSED_ON) {
            String value = System.getProperty(key);
            if (value != null) {
                command.add("-D" + key + "=" + value);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FixtureShard.class.getName());
        command.add(results.toString());
        command.add(work.toString());
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        long runs = queue.stream().mapToLong(FixtureShard::runsOf).sum();
        Duration bound = CheckerRun.DEFAULT_TIMEOUT.multipliedBy(runs).plusMinutes(1);
        return new FixtureShard(process, queue, results, log, bound);
    }

    private static int runsOf(Path dir) {
        try {
            return FixturesTest.runs(Fixture.load(dir));
        } catch (RuntimeException e) {
            return 1; // malformed: its test says so
        }
    }

    /** The runs of the fixture in {@code dir}, once the child has finished (waiting for it, bounded). */
    synchronized List<Run> runs(Path dir) throws IOException, InterruptedException, ClassNotFoundException {
        awaitRuns();
        List<Run> mine = runs.get(dir.toAbsolutePath().toString());
        if (mine == null) {
            throw new IOException("the fixture JVM reported no run of " + dir + "; its log:\n" + tail());
        }
        return mine;
    }

    private synchronized void awaitRuns() throws IOException, InterruptedException, ClassNotFoundException {
        if (runs == null) {
            if (!process.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("the fixture JVM was still running after " + bound.toSeconds()
                        + " s and was stopped; its log:\n" + tail());
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(results)) {
                throw new IOException("the fixture JVM ended with exit code " + process.exitValue()
                        + " and no results; its log:\n" + tail());
            }
            Map<String, List<Run>> read = new TreeMap<>();
            try (InputStream file = Files.newInputStream(results); ObjectInputStream in = new ObjectInputStream(file)) {
                @SuppressWarnings("unchecked")
                List<Run> all = (List<Run>) in.readObject();
                all.forEach(r -> read.computeIfAbsent(r.fixtureDir(), k -> new ArrayList<>()).add(r));
            }
            dispatcher.join(bound.toMillis());
            runs = read;
        }
    }

    /** Stops the child if it is still running (the parent's tests are over). */
    void destroy() {
        process.destroyForcibly();
    }

    private String tail() throws IOException {
        if (!Files.isRegularFile(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The child: RESULTS WORK; the fixtures come one by one on standard input. */
    public static void main(String[] args) throws Exception {
        Path results = Path.of(args[0]);
        FixturesTest.work = Path.of(args[1]);
        FixturesTest.compiler = new LabCompiler();
        PrintStream requests = System.out;
        System.setOut(System.err); // whatever a checker prints goes to the log, not into the requests
        BufferedReader answers = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<Run> runs = new ArrayList<>();
        try {
            while (true) {
                requests.println(NEXT);
                requests.flush();
                String dir = answers.readLine();
                if (dir == null || dir.equals(END)) {
                    break;
                }
                Fixture fixture = Fixture.load(Path.of(dir));
                for (int run = 0; run < FixturesTest.runs(fixture); run++) {
                    FixturesTest.Trial trial = FixturesTest.check(fixture);
                    runs.add(new Run(dir, trial.result(), trial.compiling()));
                }
            }
        } finally {
            FixturesTest.compiler.close();
        }
        Path partial = results.resolveSibling(results.getFileName() + ".part");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial));
             ObjectOutputStream out = new ObjectOutputStream(file)) {
            out.writeObject(runs);
        }
        Files.move(partial, results);
        System.exit(0); // a mutant's abandoned thread must not keep this JVM alive
    }
}
