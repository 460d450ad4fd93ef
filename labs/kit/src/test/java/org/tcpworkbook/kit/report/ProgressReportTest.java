package org.tcpworkbook.kit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;
import org.tcpworkbook.lab9.Lab9Fixture;

class ProgressReportTest {

    /** Runs the fixture checker with a report that prints into a string; the auto-registered one is off. */
    private static String run(Map<String, String> parameters, List<String> order) {
        StringBuilder printed = new StringBuilder();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Lab9Fixture.class))
                .configurationParameters(parameters)
                .build();
        Launcher launcher = launcher();
        TestExecutionListener recorder = new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier id) {
                if (id.isTest()) {
                    order.add(id.getDisplayName());
                }
            }
        };
        launcher.execute(request, new ProgressReport(printed::append), recorder);
        return printed.toString();
    }

    /** A launcher without the auto-registered listeners (this module's own ProgressReport among them). */
    private static Launcher launcher() {
        return LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
    }

    @Test
    void runs_tasks_in_task_order_and_checks_in_source_order() {
        List<String> order = new ArrayList<>();
        run(Map.of(), order);
        assertThat(order).containsExactly("notWrittenYet", "zeta, written first", "alpha, written second",
                "mu, written third", "needsTaskOne", "saysSoInItsOwnWords",
                "passes");
    }

    @Test
    void reports_one_line_per_task_then_the_first_failing_check_of_the_first_unfinished_task() {
        String report = run(Map.of(), new ArrayList<>());
        assertThat(report.lines().toList()).containsSubsequence(
                "Lab 9: the fixture: 1 of 4 tasks done (2 of 7 checks pass)",
                "  Task 1: one    not started",
                "  Task 2: two    2 of 3 checks failing",
                "  Task 3: three  not started (needs Task 1 first)",
                "  Task 10: ten   done",
                "Task 1: one, its first failing check: \"notWrittenYet\"",
                "    Not implemented yet (calling A.b): Task 1: implement A.b (notes: lab9.html#one)",
                "  Stuck? Hints, one at a time: (notes: lab9.html#lab9-task1-hint1)",
                "next: Task 1: one");
        assertThat(report).doesNotContain("\tat ", "at org.", "\r");
    }

    @Test
    void records_each_check_with_its_status_and_the_first_line_of_its_message() {
        StringBuilder json = new StringBuilder();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Lab9Fixture.class))
                .build();
        ProgressReport report = new ProgressReport(text -> { });
        launcher().execute(request, report);
        json.append(report.lastRun().json());
        assertThat(json.toString())
                .contains("\"lab\": \"lab9\"", "\"title\": \"Lab 9: the fixture\"")
                .contains("{\"id\": \"task-2\", \"number\": 2, \"title\": \"Task 2: two\", \"state\": \"failing\"")
                .contains("{\"name\": \"zeta, written first\", \"status\": \"failed\", \"message\": \"expected 1\"}")
                .contains("{\"name\": \"alpha, written second\", \"status\": \"passed\", \"message\": null}");
        // The kit's own test classes are not a lab module's: no record is written for them.
        assertThat(report.lastRun().recordFile()).isEmpty();
    }

    @Test
    void a_run_of_some_checks_is_reported_but_not_recorded() {
        ProgressReport report = new ProgressReport(text -> { });
        launcher().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass(
                        List.of(Lab9Fixture.class), Lab9Fixture.Task2.class)).build(), report);
        assertThat(report.lastRun().partial()).isTrue();
        assertThat(report.lastRun().report()).contains("  Task 2: two  2 of 3 checks failing",
                "(only some checks ran, so this run is not recorded: run the whole lab to see your progress)");
        assertThat(report.lastRun().recordFile()).isEmpty();

        ProgressReport whole = new ProgressReport(text -> { });
        launcher().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Lab9Fixture.class)).build(), whole);
        assertThat(whole.lastRun().partial()).isFalse();
    }

    @Test
    void is_silent_when_switched_off() {
        assertThat(run(Map.of(ProgressReport.SWITCH, "off"), new ArrayList<>())).isEmpty();
    }

    @Test
    void names_method_parameters_as_reflection_does() {
        assertThat(SourceOrder.parameters("(Ljava/lang/String;I[[JLorg/x/Outer$Inner;)V"))
                .isEqualTo("(java.lang.String, int, long[][], org.x.Outer$Inner)");
        assertThat(SourceOrder.parameters("()V")).isEqualTo("()");
    }

    /** labs/progress.java, run as students run it, on a labs folder holding the fixture's record. */
    @Test
    void the_progress_command_reads_the_records(@TempDir Path labs) throws Exception {
        ProgressReport report = new ProgressReport(text -> { });
        launcher().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Lab9Fixture.class)).build(), report);
        for (String lab : List.of("lab1", "lab9")) {
            Files.createDirectories(labs.resolve(lab));
            Files.writeString(labs.resolve(lab).resolve("pom.xml"), "<project/>");
        }
        report.lastRun().writeRecord(labs.resolve("lab9/target/workbook/last-run.json"));

        String out = runJava(Path.of("..", "progress.java"), labs.toString());
        assertThat(out.lines().toList()).containsSubsequence(
                "lab1: not checked yet (cd labs && ../mvnw test -pl lab1)",
                "lab9: Lab 9: the fixture, 1 of 4 tasks done (checked " + out.replaceAll("(?s).*\\(checked ([^)]*)\\).*", "$1") + ")",
                "  Task 1: one    not started",
                "  Task 2: two    2 of 3 checks failing",
                "  Task 3: three  not started (needs Task 1 first)",
                "  Task 10: ten   done",
                "Tasks done: 1 of 4 in the labs checked so far.",
                "next: lab1: check it (../mvnw test -pl lab1)");
    }

    /** labs/reset.java --from a copy: lists what it discards, keeps a copy, restores, touches no other lab. */
    @Test
    void the_reset_command_restores_one_lab_from_a_copy(@TempDir Path root) throws Exception {
        Path labs = root.resolve("mine/labs");
        Path copy = root.resolve("fresh/labs");
        for (Path l : List.of(labs, copy)) {
            for (String lab : List.of("lab1", "lab2")) {
                Files.createDirectories(l.resolve(lab + "/src/main/java/p"));
                Files.writeString(l.resolve(lab + "/pom.xml"), "<project/>");
                Files.writeString(l.resolve(lab + "/src/main/java/p/A.java"), "skeleton of " + lab);
            }
        }
        Files.writeString(labs.resolve("lab1/src/main/java/p/A.java"), "my work");
        Files.writeString(labs.resolve("lab1/src/main/java/p/Mine.java"), "my own class");
        Files.writeString(labs.resolve("lab2/src/main/java/p/A.java"), "my lab2 work");
        Files.createDirectories(labs.resolve("lab1/target/workbook"));

        String out = runJavaIn(labs, Path.of("..", "reset.java").toAbsolutePath(), "lab1", "--from", copy.getParent().toString(), "--yes");
        assertThat(out).contains("changed, back to the skeleton: p/A.java", "yours, deleted:                p/Mine.java",
                "and deletes lab1/target", "Done: lab1 is its skeleton again");
        assertThat(Files.readString(labs.resolve("lab1/src/main/java/p/A.java"))).isEqualTo("skeleton of lab1");
        assertThat(labs.resolve("lab1/src/main/java/p/Mine.java")).doesNotExist();
        assertThat(labs.resolve("lab1/target")).doesNotExist();
        assertThat(Files.readString(labs.resolve("lab2/src/main/java/p/A.java"))).isEqualTo("my lab2 work");
        try (var backups = Files.list(labs.resolve("backups"))) {
            Path backup = backups.findFirst().orElseThrow();
            assertThat(Files.readString(backup.resolve("p/A.java"))).isEqualTo("my work");
            assertThat(Files.readString(backup.resolve("p/Mine.java"))).isEqualTo("my own class");
        }
    }

    private static String runJava(Path source, String... args) throws Exception {
        return runJavaIn(Path.of("").toAbsolutePath(), source.toAbsolutePath(), args);
    }

    private static String runJavaIn(Path dir, Path source, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfile.encoding=UTF-8", source.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished within 60 s", command).isTrue();
        assertThat(p.exitValue()).as("exit code of %s; it printed:%n%s", command, out).isZero();
        return out;
    }
}
