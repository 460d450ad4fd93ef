package org.tcpworkbook.kit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.tcpworkbook.lab9.Lab9Fixture;

/**
 * The graders' results files of a run of the made-up lab 9, read back with Jackson and held to the
 * formats' documented field names and types: Exercism's test-runner interface, version 3, and
 * Gradescope's autograder results. Lab 9's points are this module's test resource points.properties
 * (task 2: 3, task 10: 5, tasks 1 and 3 unnamed: 1 each).
 */
class GradingResultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode exercism;
    private static JsonNode gradescope;

    @BeforeAll
    static void runLab9(@TempDir Path build) throws IOException {
        ProgressReport report = new ProgressReport(text -> { });
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Lab9Fixture.class)).build(), report);
        Path record = build.resolve("workbook/last-run.json");
        report.lastRun().writeRecord(record);
        assertThat(record).isRegularFile();
        exercism = JSON.readTree(Files.readString(build.resolve("workbook/exercism/results.json"), StandardCharsets.UTF_8));
        gradescope = JSON.readTree(Files.readString(build.resolve("workbook/gradescope/results.json"), StandardCharsets.UTF_8));
        assertThat(build.resolve("workbook/exercism")).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void exercism_v3_has_its_top_level_fields_and_types() {
        assertThat(names(exercism)).containsExactly("version", "status", "message", "tests");
        assertThat(exercism.get("version").isInt()).isTrue();
        assertThat(exercism.get("version").intValue()).isEqualTo(3);
        assertThat(exercism.get("status").textValue()).isEqualTo("fail");
        assertThat(exercism.get("message").isNull()).as("null unless the run itself broke").isTrue();
        assertThat(exercism.get("tests").isArray()).isTrue();
    }

    @Test
    void exercism_lists_every_check_in_checker_order_with_its_task() {
        List<String> names = new ArrayList<>();
        List<Integer> tasks = new ArrayList<>();
        for (JsonNode test : exercism.get("tests")) {
            assertThat(Set.of("name", "status", "message", "output", "test_code", "task_id")).containsAll(names(test));
            assertThat(test.get("name").isTextual()).isTrue();
            assertThat(test.get("status").textValue()).isIn("pass", "fail", "error");
            assertThat(test.get("task_id").isInt()).as("task_id is a number").isTrue();
            assertThat(test.get("output").isNull() || test.get("output").textValue().length() <= GradingResults.OUTPUT_LIMIT).isTrue();
            if (test.get("status").textValue().equals("pass")) {
                assertThat(test.get("message").isNull()).as("a passing check has no message: %s", test).isTrue();
            } else {
                assertThat(test.get("message").textValue()).as("a failing check says why: %s", test).isNotBlank();
            }
            names.add(test.get("name").textValue());
            tasks.add(test.get("task_id").intValue());
        }
        assertThat(names).containsExactly("notWrittenYet", "zeta, written first", "alpha, written second", "mu, written third",
                "needsTaskOne", "saysSoInItsOwnWords", "passes");
        assertThat(tasks).containsExactly(1, 2, 2, 2, 3, 3, 10);
    }

    @Test
    void exercism_tells_a_failed_assertion_from_an_exception_and_keeps_the_whole_message() {
        assertThat(test(exercism, "zeta, written first").get("status").textValue()).isEqualTo("fail");
        assertThat(test(exercism, "zeta, written first").get("message").textValue()).isEqualTo("expected 1\nbut was 2 (notes: lab9.html#two)");
        assertThat(test(exercism, "needsTaskOne").get("status").textValue()).isEqualTo("error");
        assertThat(test(exercism, "needsTaskOne").get("message").textValue()).contains("Task 1: implement A.b");
        assertThat(test(exercism, "alpha, written second").get("status").textValue()).isEqualTo("pass");
    }

    @Test
    void gradescope_has_its_fields_and_types() {
        assertThat(names(gradescope)).containsExactly("score", "output", "tests");
        assertThat(gradescope.get("score").isNumber()).isTrue();
        assertThat(gradescope.get("output").textValue()).contains("Lab 9: the fixture: 1 of 4 tasks done", "next: Task 1: one");
        for (JsonNode test : gradescope.get("tests")) {
            assertThat(names(test)).containsExactly("name", "number", "score", "max_score", "status", "output");
            assertThat(test.get("name").isTextual()).isTrue();
            assertThat(test.get("number").textValue()).matches("\\d+\\.\\d+");
            assertThat(test.get("score").isNumber()).isTrue();
            assertThat(test.get("max_score").isNumber()).isTrue();
            assertThat(test.get("status").textValue()).isIn("passed", "failed");
            assertThat(test.get("output").isTextual()).isTrue();
        }
        assertThat(test(gradescope, "Task 2: two > zeta, written first").get("number").textValue()).isEqualTo("2.1");
        assertThat(test(gradescope, "Task 2: two > zeta, written first").get("output").textValue()).contains("expected 1\nbut was 2");
    }

    @Test
    void gradescope_points_come_from_the_labs_points_file_and_a_task_earns_them_only_when_done() {
        Map<String, BigDecimal> max = new LinkedHashMap<>();
        Map<String, BigDecimal> score = new LinkedHashMap<>();
        for (JsonNode test : gradescope.get("tests")) {
            String task = test.get("number").textValue().split("\\.")[0];
            max.merge(task, test.get("max_score").decimalValue(), BigDecimal::add);
            score.merge(task, test.get("score").decimalValue(), BigDecimal::add);
        }
        assertThat(plain(max)).isEqualTo(Map.of("1", "1", "2", "3", "3", "1", "10", "5"));
        // Only task 10 is done; task 2's passing check earns nothing while its others fail.
        assertThat(plain(score)).isEqualTo(Map.of("1", "0", "2", "0", "3", "0", "10", "5"));
        assertThat(gradescope.get("score").decimalValue()).isEqualByComparingTo("5");
        JsonNode alpha = test(gradescope, "Task 2: two > alpha, written second");
        assertThat(alpha.get("status").textValue()).isEqualTo("passed");
        assertThat(alpha.get("score").decimalValue()).isEqualByComparingTo("0");
        assertThat(alpha.get("output").textValue()).contains("earns its points when all its 3 checks pass (2 still failing)");
    }

    @Test
    void points_split_to_the_hundredth_and_add_up_exactly() {
        assertThat(GradingResults.split(1, 3)).containsExactly(new BigDecimal("0.33"), new BigDecimal("0.33"), new BigDecimal("0.34"));
        assertThat(GradingResults.split(5, 1)).containsExactly(new BigDecimal("5.00"));
        assertThat(GradingResults.split(0, 2).stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("0");
    }

    @Test
    void the_points_file_is_task_equals_whole_points_and_unnamed_tasks_are_worth_one(@TempDir Path dir) throws IOException {
        assertThat(Points.read(getClass().getClassLoader())).containsExactly(Map.entry(2, 3), Map.entry(10, 5));
        assertThat(Points.of(getClass().getClassLoader(), 3)).isEqualTo(Points.DEFAULT);
        Files.writeString(dir.resolve(Points.RESOURCE), "task-1 = 2.5\n", StandardCharsets.UTF_8);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> Points.read(loader)).hasMessageContaining("task-1 = 2.5").hasMessageContaining("whole points");
        }
        try (URLClassLoader none = new URLClassLoader(new URL[0], null)) {
            assertThat(Points.read(none)).isEmpty();
            assertThat(Points.of(none, 7)).isEqualTo(1);
        }
    }

    @Test
    void the_writer_escapes_every_control_character_and_reads_back_as_it_was_written() throws IOException {
        StringBuilder every = new StringBuilder("quote \" backslash \\ slash / é 中文 \u2028 \u2029 \u007f");
        for (char c = 0; c < 0x20; c++) {
            every.append(c);
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", every.toString());
        value.put("none", null);
        value.put("int", 3);
        value.put("long", 1L << 40);
        value.put("decimal", new BigDecimal("0.50"));
        value.put("yes", true);
        value.put("list", List.of(1, "two", List.of(), Map.of()));
        String written = Json.write(value);
        assertThat(written.chars().filter(c -> c < 0x20 && c != '\n')).as("raw control characters").isEmpty();
        JsonNode read = JSON.readTree(written);
        assertThat(read.get("text").textValue()).isEqualTo(every.toString());
        assertThat(read.get("none").isNull()).isTrue();
        assertThat(read.get("int").intValue()).isEqualTo(3);
        assertThat(read.get("long").longValue()).isEqualTo(1L << 40);
        assertThat(read.get("decimal").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(read.get("yes").booleanValue()).isTrue();
        assertThat(read.get("list").toString()).isEqualTo("[1,\"two\",[],{}]");
        assertThatThrownBy(() -> Json.write(List.of(new Object()))).isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonNode test(JsonNode results, String name) {
        for (JsonNode test : results.get("tests")) {
            if (test.get("name").textValue().equals(name)) {
                return test;
            }
        }
        throw new AssertionError("no test named " + name + " in " + results);
    }

    private static Map<String, String> plain(Map<String, BigDecimal> numbers) {
        Map<String, String> plain = new LinkedHashMap<>();
        numbers.forEach((k, v) -> plain.put(k, v.stripTrailingZeros().toPlainString()));
        return plain;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
