package org.tcpworkbook.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every jshell script in docs/snippets runs cleanly: each snippet is VALID, none throws, and the
 * script prints something. A student runs them with {@code jshell docs/snippets/NAME.jsh}.
 */
class SnippetsTest {

    private static final Path SNIPPETS = Path.of(System.getProperty("docs.snippets", "snippets"));
    /** How long one script may take, its wait for a runner included. */
    private static final Duration LIMIT = Duration.ofSeconds(240);
    /** How many scripts run at a time, each with a JVM of its own. */
    private static final int RUNNERS = 8;

    @TestFactory
    @DisplayName("every jshell snippet in docs/snippets runs without errors")
    Stream<DynamicTest> everySnippetRuns() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(SNIPPETS)) {
            scripts = files.filter(p -> p.getFileName().toString().endsWith(".jsh")).sorted().toList();
        }
        assertThat(scripts).as("jshell scripts in %s", SNIPPETS.toAbsolutePath()).isNotEmpty();
        // Up to eight scripts at a time: a script uses little CPU (about 1.5 s of 12 s for all eight,
        // javac's and its JVM's, on JDK 25 with the pom's docs.jvm) and spends most of its time
        // waiting, about 0.15 s a snippet, for its own jshell JVM to answer; two at a time, that
        // waiting was most of the notes' test time. Each test then awaits its own script's run, bounded.
        ExecutorService runners = Executors.newFixedThreadPool(Math.min(scripts.size(), RUNNERS), task -> {
            Thread thread = new Thread(task, "snippet-runner");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<?>> runs = new ArrayList<>();
        for (Path script : scripts) {
            runs.add(runners.submit(() -> {
                run(script);
                return null;
            }));
        }
        runners.shutdown();
        return IntStream.range(0, scripts.size()).mapToObj(i -> DynamicTest.dynamicTest(
                scripts.get(i).getFileName().toString(), scripts.get(i).toUri(), () -> await(scripts.get(i), runs.get(i))));
    }

    /** The script's run, within {@link #LIMIT}; its failure, as it was. */
    private static void await(Path script, Future<?> run) throws Throwable {
        try {
            run.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            fail(script.getFileName() + " did not finish within " + LIMIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    private static void run(Path script) throws IOException {
        String source = Files.readString(script, StandardCharsets.UTF_8);
        // The scripts are plain ASCII, so that jshell reads them the same under any locale.
        assertThat(source.chars().filter(c -> c > 127).count())
                .as("non-ASCII characters in %s", script).isZero();

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        List<String> vmOptions = new ArrayList<>(List.of("-Dfile.encoding=UTF-8"));
        // The pom's JVM options for short-lived JVMs (docs.jvm): most of a snippet JVM's CPU went
        // to C2 compiling code that ran for a second.
        String jvm = System.getProperty("docs.snippets.jvm", "").strip();
        if (!jvm.isEmpty()) {
            vmOptions.addAll(List.of(jvm.split("\\s+")));
        }
        String hosts = System.getProperty("jdk.net.hosts.file");
        if (hosts != null) {
            // The snippets run in a JVM of their own: give it the same name table as this one.
            vmOptions.add("-Djdk.net.hosts.file=" + hosts);
        }
        try (JShell shell = JShell.builder()
                .out(out)
                .err(out)
                .remoteVMOptions(vmOptions.toArray(String[]::new))
                .build()) {
            List<String> problems = new ArrayList<>();
            for (String snippet : split(shell.sourceCodeAnalysis(), source)) {
                for (SnippetEvent event : shell.eval(snippet)) {
                    String problem = problem(shell, event);
                    if (problem != null) {
                        problems.add("snippet:\n" + snippet.strip() + "\n" + problem);
                    }
                }
            }
            if (!problems.isEmpty()) {
                fail(script.getFileName() + " failed:\n" + String.join("\n\n", problems)
                        + "\noutput so far:\n" + captured.toString(StandardCharsets.UTF_8));
            }
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).as("what %s printed", script).isNotBlank();
    }

    /** The script cut into complete snippets, the way jshell reads it; /commands are left out. */
    static List<String> split(SourceCodeAnalysis analysis, String source) {
        String code = source.lines()
                .filter(line -> !isCommand(line))
                .collect(Collectors.joining("\n", "", "\n"));
        List<String> snippets = new ArrayList<>();
        String remaining = code;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                break;
            }
            if (!completeness.isComplete()) {
                fail("incomplete snippet (" + completeness + ") at:\n" + remaining.strip());
            }
            snippets.add(info.source());
            remaining = info.remaining();
        }
        return snippets;
    }

    private static boolean isCommand(String line) {
        String trimmed = line.strip();
        return trimmed.startsWith("/") && !trimmed.startsWith("//") && !trimmed.startsWith("/*");
    }

    /** Why the event is a failure, or null if it is fine. */
    private static String problem(JShell shell, SnippetEvent event) {
        List<String> problems = new ArrayList<>();
        if (event.status() != Snippet.Status.VALID) {
            problems.add("status " + event.status() + " (expected VALID)");
        }
        if (event.exception() != null) {
            problems.add("threw " + event.exception());
        }
        if (problems.isEmpty()) {
            return null;
        }
        List<String> diagnostics = shell.diagnostics(event.snippet())
                .map(SnippetsTest::describe)
                .collect(Collectors.toCollection(ArrayList::new));
        if (event.snippet() instanceof DeclarationSnippet declaration) {
            shell.unresolvedDependencies(declaration).forEach(name -> diagnostics.add("unresolved: " + name));
        }
        return String.join("; ", problems) + (diagnostics.isEmpty() ? "" : "\n" + String.join("\n", diagnostics));
    }

    private static String describe(Diag diag) {
        return (diag.isError() ? "error: " : "warning: ") + diag.getMessage(null);
    }
}
