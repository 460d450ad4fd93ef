package org.tcpworkbook.proof;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.tcpworkbook.proof.FixturesTest.Mutant;
import org.tcpworkbook.proof.FixturesTest.Trial;

/**
 * The catalogue's run: this JVM compiles (each lab's checker once, each fixture once, on
 * {@link #COMPILERS} threads, in the order the fixtures will be taken) and runner JVMs ({@link FixtureJvm}) take the
 * compiled fixtures from a shared queue and run them; a {@code leak} fixture is also queued for
 * the leak JVMs. This JVM runs no checker meanwhile, so nothing it does (compiling makes garbage,
 * and a collection closes a socket a mutant abandoned) can change a run's verdict.
 *
 * <p>The runs mostly wait (for an answer a mutant never sends, a timeout), so several runner JVMs
 * take less time than one even on two cores; the longest fixtures (most runs, the whole checker)
 * are queued first, so that no JVM is left with a long one at the end.
 */
final class Catalogue implements AutoCloseable {

    /**
     * Runner JVMs besides the leak JVM, unless {@code -Dproof.fixtures.jvms} says otherwise: three a
     * core, since a run mostly waits. On two cores, 6 took the catalogue from 90 s (3) to 60 s; 9 and
     * 12 gained little more, for a busier machine (the runs' CPU time grows with their number).
     */
    static final int DEFAULT_JVMS = Math.max(3, Math.min(12, 3 * Runtime.getRuntime().availableProcessors()));
    /**
     * Runners started once every fixture is compiled, while more than two jobs a runner are left: the
     * compiling is over, and the runs left mostly wait (3 more on two cores: the catalogue 5 % faster).
     */
    static final int LATE_JVMS = Runtime.getRuntime().availableProcessors() + 1;
    /**
     * Leak JVMs: a leak run waits out the checker's settling of what was left open, and lab 7's take
     * seconds each; with one leak JVM, its queue was the catalogue's longest on JDK 25.
     */
    static final int LEAK_JVMS = 2;
    /** Runners started with the catalogue; the others one by one as the fixtures are compiled. */
    static final int AT_ONCE = 2;
    /** A runner JVM that dies (a mutant's System.exit, a crash) is replaced, at most this many times in all. */
    private static final int RESTARTS = 5;

    /** A fixture to run {@code runs} times in a runner JVM of one kind; {@code trials} completes with its runs. */
    record Job(int id, Path dir, Fixture fixture, boolean leak, int runs, CompletableFuture<Mutant> mutant,
               CompletableFuture<List<Trial>> trials) {

        /** How long a runner gets for it: every run bounded, the whole checker after the named one, and a minute. */
        Duration bound() {
            return CheckerRun.DEFAULT_TIMEOUT.multipliedBy((long) runs * (fixture.expectTest().isPresent() ? 2 : 1)).plusMinutes(1);
        }
    }

    private final Path work;
    private final Map<Path, List<Job>> jobs = new LinkedHashMap<>();
    private final Map<Path, RuntimeException> malformed = new LinkedHashMap<>();
    private final List<Path> order = new ArrayList<>();
    private final Queue<Job> normalQueue = new ConcurrentLinkedQueue<>();
    private final Queue<Job> leakQueue = new ConcurrentLinkedQueue<>();
    /** Threads that compile fixtures, each with a compiler of its own: at the start, the runners wait for them. */
    static final int COMPILERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private final AtomicInteger compilers = new AtomicInteger();
    private final ExecutorService compiling = Executors.newFixedThreadPool(COMPILERS, r -> {
        Thread thread = new Thread(r, "fixture compiler " + compilers.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final List<FixtureJvm> jvms = Collections.synchronizedList(new ArrayList<>());
    private final List<String> jvmProblems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger restarts = new AtomicInteger();
    private final List<String> retirements = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger started = new AtomicInteger();
    private final long start = System.nanoTime();
    private volatile long end = start;
    private volatile boolean closed;

    private Catalogue(Path work) {
        this.work = work;
    }

    /** Loads the fixtures, queues them to be run {@code runs} times each (longest first), starts compiling them and the runner JVMs. */
    static Catalogue start(List<Path> dirs, int runnerJvms, Path work, ToIntFunction<Fixture> runs) {
        return start(dirs, runnerJvms, 0, work, runs);
    }

    /** As above, and {@code lateJvms} more runners once every fixture is compiled ({@link #LATE_JVMS}). */
    static Catalogue start(List<Path> dirs, int runnerJvms, int lateJvms, Path work, ToIntFunction<Fixture> runs) {
        Catalogue catalogue = new Catalogue(work);
        Map<Path, Fixture> loaded = new LinkedHashMap<>();
        for (Path dir : dirs) {
            try {
                loaded.put(dir, Fixture.load(dir));
            } catch (RuntimeException e) {
                catalogue.malformed.put(dir, e); // its test says so, first
                catalogue.order.add(dir);
            }
        }
        List<Path> longestFirst = new ArrayList<>(loaded.keySet());
        longestFirst.sort(Comparator.comparingLong((Path dir) -> -cost(loaded.get(dir), runs)).thenComparing(Comparator.naturalOrder()));
        int id = 0;
        for (Path dir : longestFirst) {
            Fixture fixture = loaded.get(dir);
            CompletableFuture<Mutant> mutant = new CompletableFuture<>();
            catalogue.compiling.execute(() -> {
                try {
                    mutant.complete(FixturesTest.compile(fixture));
                } catch (Throwable e) {
                    mutant.completeExceptionally(e);
                }
            });
            List<Job> mine = new ArrayList<>();
            Job normal = new Job(id++, dir, fixture, false, runs.applyAsInt(fixture), mutant, new CompletableFuture<>());
            mine.add(normal);
            catalogue.normalQueue.add(normal);
            if (fixture.leak()) {
                Job leak = new Job(id++, dir, fixture, true, runs.applyAsInt(fixture), mutant, new CompletableFuture<>());
                mine.add(leak);
                catalogue.leakQueue.add(leak);
            }
            catalogue.jobs.put(dir, mine);
            catalogue.order.add(dir);
        }
        // The first runners at once; each of the others when one more fixture is compiled: the fixtures
        // are compiled here one by one, so runners started all at once would only wait for them, and
        // their starting (a cold JVM each) would take the cores from the compiling.
        int runners = (int) Math.min(runnerJvms, catalogue.normalQueue.size());
        catalogue.startRunners(false, runners, AT_ONCE);
        // Once every fixture is compiled, this JVM's compiling threads leave their cores to the runs, and
        // the runs left are mostly those that wait out a checker's bound: more runners for them.
        CompletableFuture<?>[] allCompiled = catalogue.jobs.values().stream().map(mine -> mine.get(0).mutant()).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(allCompiled).whenComplete((ignored, failure) -> {
            for (int i = 0; i < lateJvms && catalogue.normalQueue.size() > 2 * (runners + i); i++) {
                catalogue.startJvm(false);
            }
        });
        catalogue.startRunners(true, Math.min(LEAK_JVMS, catalogue.leakQueue.size()), 1);
        return catalogue;
    }

    /** The runs a fixture asks for, five times as long if it faces the whole checker. */
    private static long cost(Fixture fixture, ToIntFunction<Fixture> runs) {
        return (long) runs.applyAsInt(fixture) * (fixture.leak() ? 2 : 1) * (fixture.expectTest().isPresent() ? 1 : 5);
    }

    /**
     * {@code count} runners of that kind: {@code atOnce} now, and each of the others when the job at its
     * place in the queue is compiled.
     */
    private void startRunners(boolean leak, int count, int atOnce) {
        List<Job> queued = List.copyOf(leak ? leakQueue : normalQueue);
        for (int i = 0; i < count; i++) {
            if (i < atOnce) {
                startJvm(leak);
            } else {
                queued.get(i).mutant().whenComplete((compiled, failure) -> startJvm(leak));
            }
        }
    }

    /** A runner of that kind, unless the catalogue is closed (a late start, once its tests are over). */
    private void startJvm(boolean leak) {
        if (closed) {
            return;
        }
        try {
            jvms.add(FixtureJvm.start(this, leak, work.resolve((leak ? "leak-jvm-" : "jvm-") + started.incrementAndGet())));
        } catch (Exception e) {
            jvmProblems.add("a " + (leak ? "leak " : "") + "fixture JVM did not start: " + e);
            if (!othersAlive(null, leak)) {
                failAll(leak, "no fixture JVM to run it: " + e);
            }
        }
    }

    /** The fixtures in the order they are taken (malformed ones first). */
    List<Path> order() {
        return List.copyOf(order);
    }

    /**
     * The next job for a runner of that kind, once compiled; null when there is none left. A
     * fixture that does not compile (or whose patch does not apply) fails its own test and is skipped.
     */
    Job next(boolean leak) {
        Queue<Job> queue = leak ? leakQueue : normalQueue;
        for (Job job = queue.poll(); job != null && !closed; job = queue.poll()) {
            try {
                job.mutant().get(10, TimeUnit.MINUTES);
                return job;
            } catch (ExecutionException e) {
                job.trials().completeExceptionally(e.getCause());
            } catch (TimeoutException | InterruptedException e) {
                job.trials().completeExceptionally(new IllegalStateException("fixture " + job.fixture().name()
                        + " was not compiled within 10 minutes", e));
            }
        }
        return null;
    }

    /** A runner reports a job's runs. */
    void done(Job job, List<Trial> trials) {
        end = System.nanoTime();
        job.trials().complete(trials);
    }

    /** A runner ended (or was stopped) while running {@code job} (null if idle): the job fails; a new runner takes the rest. */
    void ended(FixtureJvm jvm, Job job, String why) {
        if (job != null) {
            end = System.nanoTime();
            job.trials().completeExceptionally(new IllegalStateException(why));
        }
        Queue<Job> queue = jvm.leak() ? leakQueue : normalQueue;
        if (!closed && !queue.isEmpty() && !othersAlive(jvm, jvm.leak())) {
            if (restarts.incrementAndGet() <= RESTARTS) {
                startJvm(jvm.leak());
            } else {
                failAll(jvm.leak(), "no fixture JVM left to run it: " + RESTARTS + " ended early; the last: " + why);
            }
        }
    }

    /**
     * A runner ended on purpose after a job, which left a thread of the mutant's running that the
     * kit cannot stop ({@link FixtureJvm}): a fresh runner takes its place while there is work left.
     * Not a restart: nothing went wrong, and the job's runs were reported.
     */
    void retired(FixtureJvm jvm, String why) {
        retirements.add(why);
        Queue<Job> queue = jvm.leak() ? leakQueue : normalQueue;
        if (!queue.isEmpty()) {
            startJvm(jvm.leak());
        }
    }

    List<String> retirements() {
        return List.copyOf(retirements);
    }

    /** Whether a runner of that kind other than {@code jvm} is still running. */
    private boolean othersAlive(FixtureJvm jvm, boolean leak) {
        synchronized (jvms) {
            return jvms.stream().anyMatch(j -> j != jvm && j.leak() == leak && j.alive());
        }
    }

    private void failAll(boolean leak, String why) {
        Queue<Job> queue = leak ? leakQueue : normalQueue;
        for (Job job = queue.poll(); job != null; job = queue.poll()) {
            job.trials().completeExceptionally(new IllegalStateException(why));
        }
    }

    /** A runner did not start as this JVM was started; the factory's last test reports it. */
    void jvmProblem(String problem) {
        jvmProblems.add(problem);
    }

    List<String> jvmProblems() {
        return List.copyOf(jvmProblems);
    }

    /**
     * Every run of the fixture in {@code dir} (in a leak JVM too, for a leak fixture), waiting for
     * them; each runner's job is bounded ({@link Job#bound()}), and a runner that overruns it is
     * stopped, which fails the job, so this wait ends.
     */
    List<Trial> await(Path dir) throws Exception {
        RuntimeException bad = malformed.get(dir);
        if (bad != null) {
            throw bad;
        }
        List<Trial> all = new ArrayList<>();
        for (Job job : jobs.get(dir)) {
            try {
                all.addAll(job.trials().get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return all;
    }

    /** From the start to the last job's end. */
    Duration wall() {
        return Duration.ofNanos(end - start);
    }

    String describeJvms() {
        long leak;
        synchronized (jvms) {
            leak = jvms.stream().filter(FixtureJvm::leak).count();
        }
        return (jvms.size() - leak) + " runner JVMs" + (leak > 0 ? " + " + leak + " leak JVM" + (leak > 1 ? "s" : "") : "")
                + (restarts.get() > 0 ? ", " + restarts.get() + " restarted" : "")
                + (retirements.isEmpty() ? "" : ", " + retirements.size() + " replaced after a mutant's busy thread");
    }

    @Override
    public void close() {
        closed = true;
        compiling.shutdownNow();
        synchronized (jvms) {
            jvms.forEach(FixtureJvm::destroy);
        }
    }
}
