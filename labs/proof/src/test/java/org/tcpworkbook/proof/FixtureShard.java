package org.tcpworkbook.proof;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Some of the fixtures, checked in a JVM of their own while {@link FixturesTest} checks the others:
 * the catalogue mostly waits (for a mutant's missing answer, a stop that never comes), so two JVMs
 * take half the time. Each JVM counts only its own threads and sockets, so the checkers' leak
 * checks cannot see each other's runs; a second checker in the same JVM would.
 *
 * <p>The parent starts it with {@link #start}; the child ({@link #main}) checks each fixture as
 * {@link FixturesTest#check} does and writes the runs to a file, which the parent reads with
 * {@link #runs}.
 */
final class FixtureShard {
    /** The system properties a checker's JVM needs, passed on to the child as they are. */
    private static final List<String> PASSED_ON = List.of("jdk.net.hosts.file", "file.encoding", "workbook.root",
            "surefire.test.class.path", "java.io.tmpdir");

    /** One run of one fixture, as the child reports it: the parent loads the fixture and judges it again. */
    record Run(String fixtureDir, CheckerResult result, Duration compiling) implements Serializable {
    }

    private final Process process;
    private final Path results;
    private final Path log;
    private final Duration bound;
    private Map<String, List<Run>> runs;

    private FixtureShard(Process process, Path results, Path log, Duration bound) {
        this.process = process;
        this.results = results;
        this.log = log;
        this.bound = bound;
    }

    /** Starts a JVM that checks {@code fixtures}, each {@code times} times, working in {@code work}. */
    static FixtureShard start(List<Path> fixtures, int times, Path work) throws IOException {
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
        command.add(Integer.toString(times));
        fixtures.forEach(f -> command.add(f.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Each run is bounded by CheckerRun (60 s); the JVM itself gets that per run, and a minute more.
        Duration bound = CheckerRun.DEFAULT_TIMEOUT.multipliedBy((long) fixtures.size() * times).plusMinutes(1);
        return new FixtureShard(process, results, log, bound);
    }

    /** The runs of the fixture in {@code dir}, once the child has finished (waiting for it, bounded). */
    synchronized List<Run> runs(Path dir) throws IOException, InterruptedException, ClassNotFoundException {
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
            runs = read;
        }
        List<Run> mine = runs.get(dir.toAbsolutePath().toString());
        if (mine == null) {
            throw new IOException("the fixture JVM reported no run of " + dir + "; its log:\n" + tail());
        }
        return mine;
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

    /** The child: RESULTS WORK TIMES FIXTURE-DIR... */
    public static void main(String[] args) throws Exception {
        Path results = Path.of(args[0]);
        FixturesTest.work = Path.of(args[1]);
        int times = Integer.parseInt(args[2]);
        FixturesTest.compiler = new LabCompiler();
        List<Run> runs = new ArrayList<>();
        try {
            for (int i = 3; i < args.length; i++) {
                Fixture fixture = Fixture.load(Path.of(args[i]));
                for (int run = 0; run < times; run++) {
                    FixturesTest.Trial trial = FixturesTest.check(fixture);
                    runs.add(new Run(args[i], trial.result(), trial.compiling()));
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
