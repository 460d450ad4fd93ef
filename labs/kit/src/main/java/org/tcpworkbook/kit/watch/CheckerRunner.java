package org.tcpworkbook.kit.watch;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a lab's checker in this JVM with the JUnit Platform Launcher, as surefire does, over freshly
 * compiled main classes.
 *
 * <p>Each run gets a new class loader holding the fresh main classes, the lab's test classes (the
 * checker and the kit, compiled by Maven before the watch started) and its resources. Its parent
 * shares the libraries (JUnit, AssertJ, Byte Buddy) but hides the lab's build folder, which is on
 * this JVM's class path too: otherwise the parent would hand out the classes Maven compiled at the
 * start, and the student's edits would never be seen. The checker classes must be in the fresh
 * loader as well, or they would link to the stale main classes.
 *
 * <p>The launcher registers the listeners found through META-INF/services (the kit's progress
 * report) from the fresh loader, exactly as under surefire.
 */
final class CheckerRunner {

    /** Surefire's default includes ({@code Test*, *Test, *Tests, *TestCase}): the kit's classes are never run. */
    static final String SUREFIRE_INCLUDES = "^(?:[\\w]+\\.)*(?:Test\\w*|\\w*Tests?|\\w*TestCase)$";

    private final Path testClasses;
    private final List<Path> resources;
    private final ClassLoader libraries;
    private final Duration limit;

    /**
     * @param testClasses the checker and kit classes (and test resources), e.g. {@code target/test-classes}
     * @param resources   more folders for the checker's loader (the lab's src/main/resources, if any)
     * @param hidden      folders of this JVM's class path that the checker must not see (the lab's build folder)
     * @param limit       the bound on one whole run
     */
    CheckerRunner(Path testClasses, List<Path> resources, List<Path> hidden, Duration limit) {
        this.testClasses = testClasses;
        this.resources = List.copyOf(resources);
        this.libraries = new Hiding(CheckerRunner.class.getClassLoader(), hidden);
        this.limit = limit;
    }

    /** What a run left: whether it finished in time, and whether a kit listener printed the report. */
    record Ran(Duration took, boolean timedOut, Throwable crash, boolean reportListener) {
    }

    /** Runs the checker over {@code mainClasses}; {@code recorder} hears every event. */
    Ran run(Path mainClasses, TestExecutionListener recorder) throws InterruptedException {
        List<Path> path = new ArrayList<>();
        path.add(mainClasses);
        path.add(testClasses);
        path.addAll(resources);
        URLClassLoader loader = new URLClassLoader("watch: checker run", urls(path), libraries);
        boolean report = ServiceLoader.load(TestExecutionListener.class, loader).stream()
                .anyMatch(p -> p.type().getName().startsWith("org.tcpworkbook."));
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                // Created here, with the fresh loader as context loader: that is where the launcher
                // looks for junit-platform.properties and for listeners to register.
                Launcher launcher = LauncherFactory.create();
                LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClasspathRoots(Set.of(testClasses)))
                        .filters(ClassNameFilter.includeClassNamePatterns(SUREFIRE_INCLUDES))
                        .build();
                launcher.execute(request, recorder);
            } catch (Throwable t) {
                crash.set(t);
            }
        }, "watch: checker run");
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        // Start from a collected heap: where the kit's socket record is not running (no agent could be
        // attached), a collection during the run would close a socket the student's code abandoned, and
        // hide the leak the checker is there to catch. One collection per run of the student's loop.
        System.gc();
        long start = System.nanoTime();
        thread.start();
        thread.join(limit.toMillis());
        boolean timedOut = thread.isAlive();
        if (timedOut) {
            thread.interrupt();
            thread.join(250);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!thread.isAlive()) {
            try {
                loader.close();
            } catch (IOException e) {
                // only the loader's open jar files; the next run has its own
            }
        }
        return new Ran(took, timedOut, crash.get(), report);
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

    /** Delegates to this JVM's class loader, except for classes and resources in the hidden folders. */
    static final class Hiding extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final List<Path> hidden;

        Hiding(ClassLoader delegate, List<Path> hidden) {
            super("watch: libraries", delegate);
            this.hidden = hidden.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            URL where = getParent().getResource(name.replace('.', '/') + ".class");
            if (where != null && isHidden(where)) {
                throw new ClassNotFoundException(name + " (hidden from the checker: it comes from " + where + ")");
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            Enumeration<URL> all;
            try {
                all = getResources(name);
            } catch (IOException e) {
                return null;
            }
            return all.hasMoreElements() ? all.nextElement() : null;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> visible = new ArrayList<>();
            for (URL url : Collections.list(getParent().getResources(name))) {
                if (!isHidden(url)) {
                    visible.add(url);
                }
            }
            return Collections.enumeration(visible);
        }

        private boolean isHidden(URL url) {
            if (!"file".equals(url.getProtocol())) {
                return false;
            }
            try {
                Path path = Path.of(url.toURI()).toAbsolutePath().normalize();
                return hidden.stream().anyMatch(path::startsWith);
            } catch (URISyntaxException | IllegalArgumentException e) {
                return false;
            }
        }
    }
}
