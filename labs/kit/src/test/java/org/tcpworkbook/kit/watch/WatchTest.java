package org.tcpworkbook.kit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch loop on a tiny lab of its own (one class, a one-task checker, a chapter with two
 * hints): it checks at the start, runs again after each save, sees the new code each time (a fresh
 * class loader), shows a compile error as javac does (file:line), shows the hints in order, and
 * quits. Every step awaits the loop's own callbacks, each bounded.
 */
class WatchTest {

    private static final Duration STEP = Duration.ofSeconds(30);

    private static final String CHECKER = """
            package demo;

            import static org.assertj.core.api.Assertions.assertThat;

            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Nested;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;

            @DisplayName("Demo lab")
            class DemoTest {
                @Nested
                @Tag("task-1")
                @DisplayName("Task 1: Greeter.greet")
                class Greet {
                    @Test
                    @DisplayName("greets by name")
                    void greets() {
                        assertThat(Greeter.greet("Ada")).as("greet(\\"Ada\\")").isEqualTo("hello Ada");
                    }

                    @Test
                    @DisplayName("needs what this machine lacks")
                    void aborted() {
                        org.junit.jupiter.api.Assumptions.abort("no such thing here");
                    }
                }
            }
            """;

    private static final String CHAPTER = """
            = Demo

            [#demo-task1-hint1%collapsible]
            .Hint 1: what to return
            ====
            Build the answer from the `name` you are given (<<greeting,see the greeting section>>).
            ====

            [#demo-task1-hint2%collapsible]
            .Hint 2: the exact call
            ====
            `+"hello " + name+`
            ====
            """;

    @TempDir
    Path root;

    /** Events of the loop, in order, as strings: "ran:<passed>/<failed>:<first unfinished>", "error:...", "hint:...". */
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Test
    void reruns_on_every_save_reports_compile_errors_shows_hints_and_quits() throws Exception {
        Path lab = root.resolve("labs/demo");
        Path greeter = lab.resolve("src/main/java/demo/Greeter.java");
        write(greeter, greeter("\"TODO\""));
        write(root.resolve("docs/src/docs/asciidoc/demo.adoc"), CHAPTER);
        compileChecker(lab, greeter);

        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
        Watch watch = new Watch(Watch.Options.of(lab).withLimit(STEP).withSummary(Watch.Summary.ALWAYS), out, new Watch.Events() {
            @Override
            public void watching() {
                events.add("watching");
            }

            @Override
            public void compileFailed(String errors) {
                events.add("error:" + errors);
            }

            @Override
            public void hint(String text) {
                events.add("hint:" + text);
            }

            @Override
            public void ran(RunReport report) {
                events.add("ran:" + report.passed() + "/" + report.failed().size() + ":" + report.firstUnfinishedTask());
            }
        });
        AtomicInteger status = new AtomicInteger(-1);
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            try {
                status.set(watch.loop());
            } catch (Throwable t) {
                crash.set(t);
            }
        }, "watch loop under test");
        loop.setDaemon(true);
        loop.start();

        assertThat(next("the watcher to start")).isEqualTo("watching");
        assertThat(next("the first run, over the skeleton")).isEqualTo("ran:0/1:OptionalInt[1]");
        assertThat(screen.toString(StandardCharsets.UTF_8)).contains("FAILED Task 1: Greeter.greet > greets by name");

        watch.key('h');
        assertThat(next("the first hint")).isEqualTo("hint:Task 1, Hint 1: what to return\n"
                + "Build the answer from the name you are given (see the greeting section).");
        watch.key('h');
        assertThat(next("the second hint")).isEqualTo("hint:Task 1, Hint 2: the exact call\n\"hello \" + name");
        watch.key('h');
        assertThat(next("the end of the hints")).startsWith("hint:That was the last hint for Task 1.");

        write(greeter, greeter("\"hello \" + name"));
        assertThat(next("a run after the fix was saved")).as("an aborted check (skipped, as under surefire) leaves its task done")
                .isEqualTo("ran:1/0:OptionalInt.empty");
        assertThat(screen.toString(StandardCharsets.UTF_8)).contains("demo: 1 of 2 checks pass (1 skipped)");

        write(greeter, greeter("\"hello \" + name").replace("name;", "name"));
        String error = next("the compile error after a broken save");
        assertThat(error).startsWith("error:").contains("Greeter.java:4: error: ';' expected");

        write(greeter, greeter("\"hi \" + name"));
        assertThat(next("a run after a fix that is wrong again")).isEqualTo("ran:0/1:OptionalInt[1]");

        watch.key('r');
        assertThat(next("a run asked for with r")).isEqualTo("ran:0/1:OptionalInt[1]");

        watch.key('q');
        loop.join(STEP.toMillis());
        assertThat(loop.isAlive()).as("the loop still runs after q").isFalse();
        assertThat(crash.get()).as("the loop's crash").isNull();
        assertThat(status.get()).as("exit status of the last run (1: a check failed)").isEqualTo(1);
        assertThat(events).as("events after quitting").isEmpty();
        assertThat(lab.resolve("target/watch")).as("classes of old runs are deleted")
                .satisfies(dir -> assertThat(Files.list(dir).count()).isLessThanOrEqualTo(2));
    }

    @Test
    void once_checks_once_and_exits_with_the_verdict() throws Exception {
        Path lab = root.resolve("labs/demo");
        Path greeter = lab.resolve("src/main/java/demo/Greeter.java");
        write(greeter, greeter("\"hello \" + name"));
        compileChecker(lab, greeter);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Watch watch = new Watch(Watch.Options.of(lab).withLimit(STEP).once(true), out, new Watch.Events() { })) {
            assertThat(watch.loop()).as("exit status: all checks passed").isZero();
        }
        write(greeter, greeter("\"hello \" + name").replace("name;", "name"));
        try (Watch watch = new Watch(Watch.Options.of(lab).withLimit(STEP).once(true), out, new Watch.Events() { })) {
            assertThat(watch.loop()).as("exit status: compile error").isEqualTo(2);
        }
    }

    private String next(String what) throws InterruptedException {
        String event = events.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("waited %s s for %s", STEP.toSeconds(), what).isNotNull();
        return event;
    }

    /** Greeter with {@code body} as the expression returned: line 4 is the return statement. */
    private static String greeter(String expression) {
        return "package demo;\n\npublic final class Greeter {\n"
                + "    public static String greet(String name) { return " + expression + "; }\n}\n";
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** As Maven would before the watch starts: the skeleton to target/classes, the checker to target/test-classes. */
    private static void compileChecker(Path lab, Path greeter) throws Exception {
        Path classes = lab.resolve("target/classes");
        Path testClasses = lab.resolve("target/test-classes");
        Path checker = lab.resolve("src/test/java/demo/DemoTest.java");
        write(checker, CHECKER);
        Files.createDirectories(classes);
        Files.createDirectories(testClasses);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String cp = System.getProperty("java.class.path");
        javac(javac, greeter, List.of("-d", classes.toString()));
        javac(javac, checker, List.of("-d", testClasses.toString(), "-classpath", classes + File.pathSeparator + cp));
    }

    private static void javac(JavaCompiler javac, Path source, List<String> args) throws Exception {
        StringWriter errors = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of("--release", "17", "-encoding", "UTF-8", "-proc:none"));
        all.addAll(args);
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            ok = javac.getTask(errors, files, null, all, null, files.getJavaFileObjects(source)).call();
        }
        assertThat(ok).as("compiling the demo lab: %s", errors).isTrue();
    }
}
