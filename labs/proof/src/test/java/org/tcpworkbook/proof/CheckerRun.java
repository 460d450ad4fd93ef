package org.tcpworkbook.proof;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.regex.Pattern;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.tcpworkbook.proof.CheckerResult.Status;
import org.tcpworkbook.proof.CheckerResult.TestOutcome;

/**
 * Runs a compiled lab's checker in this JVM with the JUnit Platform Launcher, as surefire would.
 *
 * <p>The checker gets a fresh child {@link URLClassLoader} (main, kit and checker classes, then the
 * resource folders) whose parent is the proof's own class loader, so JUnit and AssertJ are shared
 * and every run starts with fresh static state. That loader is the thread context class loader of
 * the thread that discovers and executes, which is how JUnit finds the kit's
 * junit-platform.properties (its default timeout and display-name generator). Only classes of the
 * checker folder that surefire's default includes select are run; the kit's classes never are.
 *
 * <p>The run is bounded: past {@link #timeout()} it is abandoned (its daemon thread interrupted
 * and left behind) and the result says {@link CheckerResult#timedOut()}.
 */
public final class CheckerRun {

    /** Surefire's default includes ({@code **}{@code /Test*.java, *Test.java, *Tests.java, *TestCase.java}), top-level classes only. */
    public static final String SUREFIRE_INCLUDES = "^(?:[\\w]+\\.)*(?:Test\\w*|\\w*Tests?|\\w*TestCase)$";

    /** Configuration parameters recorded in {@link CheckerResult#configuration()}. */
    public static final List<String> REPORTED_KEYS = List.of(
            "junit.jupiter.execution.timeout.default",
            "junit.jupiter.execution.timeout.thread.mode.default",
            "junit.jupiter.displayname.generator.default");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** The kit's switch for its progress report and run record (org.tcpworkbook.kit.report.ProgressReport.SWITCH). */
    static final String PROGRESS_REPORT = "workbook.report";

    private final CompiledLab lab;
    private final Duration timeout;
    private final Map<String, String> parameters;
    private final Pattern only;

    private CheckerRun(CompiledLab lab, Duration timeout, Map<String, String> parameters, Pattern only) {
        this.lab = lab;
        this.timeout = timeout;
        this.parameters = Map.copyOf(parameters);
        this.only = only;
    }

    public static CheckerRun of(CompiledLab lab) {
        return new CheckerRun(lab, DEFAULT_TIMEOUT, Map.of(), null);
    }

    /** The bound on the whole run, discovery included. */
    public CheckerRun withTimeout(Duration newTimeout) {
        return new CheckerRun(lab, newTimeout, parameters, only);
    }

    /** A JUnit configuration parameter that overrides junit-platform.properties. */
    public CheckerRun withConfigurationParameter(String key, String value) {
        Map<String, String> more = new HashMap<>(parameters);
        more.put(key, value);
        return new CheckerRun(lab, timeout, more, only);
    }

    /**
     * Runs only the tests whose display name ("Class > Nested > test", as in the results) the
     * pattern is found in: a mutant's expected check, say, without the rest of the checker.
     */
    public CheckerRun onlyTestsNamed(Pattern names) {
        return new CheckerRun(lab, timeout, parameters, names);
    }

    public Duration timeout() {
        return timeout;
    }

    /** Discovers and executes the checker; returns when it is done or {@link #timeout()} has passed. */
    public CheckerResult run() {
        ClassLoader parent = CheckerRun.class.getClassLoader();
        URL stray = parent.getResource("junit-platform.properties");
        if (stray != null) {
            throw new IllegalStateException("the proof's own class path has a junit-platform.properties (" + stray
                    + "): it would shadow the one the checker is meant to run with");
        }
        URLClassLoader loader = new URLClassLoader("checker of " + lab.label(),
                urls(lab.classpath().stream().filter(p -> !p.equals(lab.supportClasses())).toList()), kit(lab.supportClasses(), parent));
        Recorder recorder = new Recorder();
        Map<String, String> configuration = new TreeMap<>();
        List<String> excluded = new ArrayList<>();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                Launcher launcher = LauncherFactory.create();
                LauncherDiscoveryRequest request = request(ClassNameFilter.includeClassNamePatterns(SUREFIRE_INCLUDES));
                REPORTED_KEYS.forEach(k -> request.getConfigurationParameters().get(k).ifPresent(v -> configuration.put(k, v)));
                if (only == null && hasTopLevelClassesOutsideIncludes()) { // a run of some tests only does not look for them
                    TestPlan left = launcher.discover(request(ClassNameFilter.excludeClassNamePatterns(SUREFIRE_INCLUDES)));
                    left.getRoots().forEach(engine -> left.getChildren(engine).stream()
                            .filter(c -> left.getDescendants(c).stream().anyMatch(TestIdentifier::isTest))
                            .forEach(c -> excluded.add(c.getLegacyReportingName())));
                }
                launcher.execute(request, recorder);
            } catch (Throwable t) {
                crash.set(t);
            }
        }, "checker run: " + lab.label());
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        // No collection before the run: the kit's socket record (its Java agent, which this JVM and
        // every fixture JVM load) holds every socket until it is closed, so a collection during the
        // run cannot close one the student's code abandoned; the leak JVM shows it, with a collection
        // forced before every leak check. A full collection per run cost the catalogue a quarter of
        // its CPU time.
        long start = System.nanoTime();
        thread.start();
        boolean timedOut;
        try {
            thread.join(timeout.toMillis());
            timedOut = thread.isAlive();
            if (timedOut) {
                thread.interrupt();
                thread.join(250); // a checker that heeds the interrupt may still report
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + lab.label(), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (crash.get() != null) {
            throw new IllegalStateException("the JUnit launcher failed on " + lab.label() + ": " + crash.get(), crash.get());
        }
        if (!thread.isAlive()) {
            try {
                loader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        synchronized (recorder) {
            return new CheckerResult(lab.label(), recorder.outcomes(), recorder.problems,
                    configuration, excluded, took, timedOut);
        }
    }

    /** One class loader per compiled kit, shared by every run of this JVM over it. */
    private static final Map<Path, ClassLoader> KITS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The kit's classes, loaded once per JVM and shared by every checker run over them: the kit keeps
     * no state of a run in its classes (what it shares across loaders, the socket record, lives in the
     * system properties), and each run then starts with the kit's code loaded and compiled, instead of
     * loading and compiling it again. The checker and the program under test get a fresh loader each run.
     */
    private static ClassLoader kit(Path supportClasses, ClassLoader parent) {
        return KITS.computeIfAbsent(supportClasses, p -> new URLClassLoader("kit " + p, urls(List.of(p)), parent));
    }

    private LauncherDiscoveryRequest request(ClassNameFilter filter) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClasspathRoots(Set.of(lab.checkerClasses())))
                .filters(filter)
                // The kit's progress report (a listener the launcher finds in the kit's resources)
                // is for students: silent here, where a checker runs hundreds of times.
                .configurationParameter(PROGRESS_REPORT, "off")
                .configurationParameters(parameters);
        if (only != null) {
            request.filters((PostDiscoveryFilter) descriptor -> descriptor.isContainer()
                    || only.matcher(pathName(descriptor)).find()
                    ? FilterResult.included("selected") : FilterResult.excluded("not " + only));
        }
        return request.build();
    }

    /** "Class > Nested > test": display names from the top-level container down, as the results name tests. */
    static String pathName(TestDescriptor descriptor) {
        Deque<String> names = new ArrayDeque<>();
        for (TestDescriptor node = descriptor; node != null && node.getParent().isPresent(); node = node.getParent().get()) {
            names.addFirst(node.getDisplayName());
        }
        return String.join(" > ", names);
    }

    private boolean hasTopLevelClassesOutsideIncludes() throws IOException {
        Path root = lab.checkerClasses();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p).toString())
                    .filter(p -> p.endsWith(".class") && !p.contains("$") && !p.endsWith("package-info.class"))
                    .map(p -> p.substring(0, p.length() - ".class".length()).replace(root.getFileSystem().getSeparator(), "."))
                    .anyMatch(name -> !name.matches(SUREFIRE_INCLUDES));
        }
    }

    private static URL[] urls(List<Path> paths) {
        return paths.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(p.toString(), e);
            }
        }).toArray(URL[]::new);
    }

    /** Collects outcomes; called from JUnit's threads, read by the caller's. */
    private static final class Recorder implements TestExecutionListener {
        private TestPlan plan;
        private final Map<String, Long> started = new HashMap<>();
        private final Map<String, TestOutcome> finished = new LinkedHashMap<>();
        private final Set<String> order = new LinkedHashSet<>();
        private final List<String> problems = new ArrayList<>();

        @Override
        public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public synchronized void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                started.put(id.getUniqueId(), System.nanoTime());
                order.add(id.getUniqueId());
            }
        }

        @Override
        public synchronized void executionSkipped(TestIdentifier id, String reason) {
            for (TestIdentifier test : testsUnder(id)) {
                record(test, Status.SKIPPED, reason, "skipped: " + reason);
            }
        }

        @Override
        public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Status status = switch (result.getStatus()) {
                case SUCCESSFUL -> Status.SUCCESSFUL;
                case FAILED -> Status.FAILED;
                case ABORTED -> Status.ABORTED;
            };
            Throwable failure = result.getThrowable().orElse(null);
            String message = failure == null ? null : failure.getMessage();
            String text = failure == null ? null : failure.toString();
            if (id.isTest()) {
                record(id, status, message, text);
            } else if (status != Status.SUCCESSFUL) {
                // A class whose @BeforeAll threw, an engine that rejected the discovery: its tests
                // never ran, and fail (or abort) with its throwable.
                problems.add(displayName(id) + ": " + status + " (" + text + ")");
                for (TestIdentifier test : testsUnder(id)) {
                    if (!finished.containsKey(test.getUniqueId())) {
                        record(test, status, message, displayName(id) + " " + status + ": " + text);
                    }
                }
            }
        }

        private void record(TestIdentifier id, Status status, String message, String failure) {
            Long start = started.get(id.getUniqueId());
            Duration duration = start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start);
            order.add(id.getUniqueId());
            finished.put(id.getUniqueId(), new TestOutcome(id.getUniqueId(), displayName(id), tags(id), status,
                    status == Status.SUCCESSFUL ? null : message, status == Status.SUCCESSFUL ? null : failure, duration));
        }

        private List<TestIdentifier> testsUnder(TestIdentifier id) {
            if (id.isTest()) {
                return List.of(id);
            }
            return plan == null ? List.of() : plan.getDescendants(id).stream().filter(TestIdentifier::isTest).toList();
        }

        /** The display names from the top-level container down (the engine left out), joined with " > ". */
        private String displayName(TestIdentifier id) {
            Deque<String> names = new ArrayDeque<>();
            for (TestIdentifier node = id; node != null; node = parent(node)) {
                if (node.getParentIdObject().isPresent()) {
                    names.addFirst(node.getDisplayName());
                }
            }
            return names.isEmpty() ? id.getDisplayName() : String.join(" > ", names);
        }

        private Set<String> tags(TestIdentifier id) {
            Set<String> tags = new LinkedHashSet<>();
            for (TestIdentifier node = id; node != null; node = parent(node)) {
                node.getTags().forEach(t -> tags.add(t.getName()));
            }
            return tags;
        }

        private TestIdentifier parent(TestIdentifier id) {
            return plan == null ? null : plan.getParent(id).orElse(null);
        }

        /** Finished tests in execution order, then those that never finished. */
        List<TestOutcome> outcomes() {
            List<TestOutcome> result = new ArrayList<>();
            if (plan != null) {
                collectTests(plan.getRoots(), order);
            }
            for (String uid : order) {
                TestOutcome outcome = finished.get(uid);
                if (outcome == null) {
                    TestIdentifier id = plan.getTestIdentifier(UniqueId.parse(uid));
                    Long start = started.get(uid);
                    outcome = new TestOutcome(uid, displayName(id), tags(id), Status.NOT_FINISHED, null,
                            start == null ? "never started: the run was abandoned" : "still running when the run was abandoned",
                            start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start));
                }
                result.add(outcome);
            }
            return result;
        }

        private void collectTests(Set<TestIdentifier> nodes, Set<String> into) {
            for (TestIdentifier node : nodes) {
                if (node.isTest()) {
                    into.add(node.getUniqueId());
                }
                collectTests(plan.getChildren(node), into);
            }
        }
    }
}
