package org.tcpworkbook.course;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.tcpworkbook.proof.Fixture;
import org.tcpworkbook.proof.LabLayout;

/**
 * The gradebook on a synthetic class whose grades are known in advance, built from lab 1's
 * solution, skeleton and catalogue, and from submissions that misbehave in every way the gradebook
 * must survive. The command that grades a real class is {@link Gradebook#main}; to measure the
 * gradebook on a synthetic class of 30 (solutions, skeletons and catalogue mutants, in turn), from labs/:
 * <pre>
 * ../mvnw -Psolutions test -pl course -Dtest=GradebookTest#gradeASyntheticClass -Dgradebook.synthetic=30 [-Dgradebook.labs=lab1,lab2]
 * </pre>
 */
class GradebookTest {

    static final Path ROOT = LabLayout.workbookRoot();

    @Test
    @DisplayName("a synthetic class of lab 1: full marks, none, a known mutant, and every misbehaviour in a row of its own")
    void gradesASyntheticClass(@TempDir Path work) throws Exception {
        LabLayout lab1 = LabLayout.of(ROOT, "lab1");
        Path submissions = work.resolve("class");
        Path solution = lab1.solution();
        Path skeleton = lab1.skeleton();

        copy(solution, code(submissions, "alice-solution", "lab1"));
        copy(skeleton, code(submissions, "bob-skeleton", "lab1"));
        Fixture.load(Fixture.folder(ROOT).resolve("lab1-port-boundary")).apply(lab1, code(submissions, "carol-port-boundary", "lab1"));
        Path dan = code(submissions, "dan-no-compile", "lab1");
        copy(skeleton, dan);
        edit(dan.resolve("org/tcpworkbook/lab1/Ports.java"), s -> s.replaceFirst("public final class Ports \\{", "public final class Ports {\n    int broken = ;"));
        Path erin = code(submissions, "erin-exits", "lab1");
        copy(solution, erin);
        edit(erin.resolve("org/tcpworkbook/lab1/Ports.java"), s -> s.replaceFirst("public final class Ports \\{",
                "public final class Ports {\n    static { System.exit(3); }"));
        Path frank = code(submissions, "frank-hangs", "lab1");
        copy(solution, frank);
        edit(frank.resolve("org/tcpworkbook/lab1/Ports.java"), s -> s.replaceFirst("public final class Ports \\{",
                "public final class Ports {\n    static { while (System.nanoTime() != 0) { try { Thread.sleep(60_000); } catch (InterruptedException e) { } } }"));
        Path grace = code(submissions, "grace-floods", "lab1");
        copy(solution, grace);
        edit(grace.resolve("org/tcpworkbook/lab1/Ports.java"), s -> s.replaceFirst("public final class Ports \\{",
                "public final class Ports {\n    static { while (System.nanoTime() != 0) { System.out.print(\"x\".repeat(1000)); } }"));
        // Heidi hands in her whole copy: the skeleton, and a checker she "fixed" to pass.
        Path heidi = submissions.resolve("heidi-edited-checker");
        copy(skeleton, heidi.resolve("labs/lab1/src/main/java"));
        copy(lab1.checker(), heidi.resolve("labs/lab1/src/test/java"));
        copy(lab1.kitDir().resolve("src"), heidi.resolve("labs/kit/src"));
        Files.copy(lab1.kitDir().resolve("pom.xml"), heidi.resolve("labs/kit/pom.xml"));
        Files.copy(lab1.kitDir().resolve("platform.args"), heidi.resolve("labs/kit/platform.args"));
        Files.copy(lab1.kitDir().resolve("test-hosts"), heidi.resolve("labs/kit/test-hosts"));
        edit(heidi.resolve("labs/lab1/src/test/java/org/tcpworkbook/lab1/Lab1Test.java"), s -> s.replace("@Test", "@Disabled @Test"));

        Gradebook gradebook = new Gradebook(ROOT, Gradebook.Limits.defaults().with(Duration.ofSeconds(90), 200_000, 2), work.resolve("work"));
        long start = System.nanoTime();
        List<Gradebook.Row> rows = gradebook.grade(submissions, work.resolve("out"));
        System.out.printf(Locale.ROOT, "graded %d submissions of lab 1 in %.1f s%n", 8, (System.nanoTime() - start) / 1e9);

        List<String> tasks = Gradebook.tasks(lab1);
        assertThat(tasks).containsExactly("task-1", "task-2", "task-3", "task-4", "task-5");
        Map<String, List<Gradebook.Row>> byStudent = rows.stream().collect(Collectors.groupingBy(Gradebook.Row::student));
        assertThat(byStudent).hasSize(8).allSatisfy((student, cells) -> assertThat(cells).hasSize(5));
        assertThat(points(byStudent.get("alice-solution"))).isEqualTo(5);
        assertThat(points(byStudent.get("bob-skeleton"))).isZero();
        assertThat(byStudent.get("bob-skeleton")).allSatisfy(r -> assertThat(r.firstFailure()).contains("Not implemented yet").contains("lab1.html#"));
        assertThat(byStudent.get("carol-port-boundary")).allSatisfy(r ->
                assertThat(r.points()).as(r.toString()).isEqualTo(r.task().equals("task-2") ? 0 : 1));
        assertThat(cell(byStudent, "carol-port-boundary", "task-2").firstFailure()).contains("Ports.category(49151)");
        assertThat(byStudent.get("dan-no-compile")).allSatisfy(r -> assertThat(r.verdict()).startsWith("does not compile: ").contains("Ports.java"));
        assertThat(byStudent.get("erin-exits")).allSatisfy(r -> assertThat(r.verdict()).startsWith("the JVM ended before the checker finished (exit code 3)"));
        // Ports never finishes loading: every check that calls it is abandoned by the kit's deadline and fails, saying it hung.
        for (String task : List.of("task-2", "task-3", "task-4")) {
            assertThat(cell(byStudent, "frank-hangs", task).points()).as(task).isZero();
            assertThat(cell(byStudent, "frank-hangs", task).firstFailure()).as(task).contains("Your code was still");
        }
        assertThat(cell(byStudent, "frank-hangs", "task-1").points()).isOne();
        assertThat(byStudent.get("grace-floods")).allSatisfy(r -> assertThat(r.verdict()).startsWith("output flood: more than 200000 bytes"));
        assertThat(byStudent.get("heidi-edited-checker")).allSatisfy(r -> assertThat(r.verdict())
                .isEqualTo("failed; edited the checker (graded with the pristine one)"));
        assertThat(points(byStudent.get("heidi-edited-checker"))).isZero();
        assertThat(byStudent.get("alice-solution")).allSatisfy(r -> assertThat(r.verdict()).isEqualTo("passed"));

        String csv = Files.readString(work.resolve("out/gradebook.csv"), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("student,lab,task,points,max,verdict,first_failing_check\n").contains("alice-solution,lab1,task-1,1,1,passed,\n");
        assertThat(csv.lines().count()).isEqualTo(1 + 8 * 5);
        assertThat(Files.readString(work.resolve("out/gradebook.html"), StandardCharsets.UTF_8))
                .contains("<td>alice-solution</td><td>5 / 5").contains("<td>bob-skeleton</td><td>0 / 5");
    }

    @Test
    @DisplayName("past its time bound a submission's JVM is stopped, and its row says so")
    void timeBound(@TempDir Path work) throws Exception {
        LabLayout lab1 = LabLayout.of(ROOT, "lab1");
        copy(lab1.solution(), code(work.resolve("class"), "ivan-slow", "lab1"));
        Gradebook gradebook = new Gradebook(ROOT, Gradebook.Limits.defaults().with(Duration.ofSeconds(1), 200_000, 1), work.resolve("work"));
        gradebook.pristine(lab1); // compiled once per lab, before the bound applies to anyone's run
        long start = System.nanoTime();
        List<Gradebook.Row> rows = gradebook.grade(work.resolve("class"), work.resolve("out"), List.of("lab1"));
        assertThat(rows).hasSize(5).allSatisfy(r -> assertThat(r.verdict()).isEqualTo("timed out: still running after 1 s; stopped"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    @EnabledIfSystemProperty(named = "gradebook.synthetic", matches = "\\d+")
    @DisplayName("grade a synthetic class of -Dgradebook.synthetic students over every lab, and say how long it took")
    void gradeASyntheticClass(@TempDir Path work) throws Exception {
        int students = Integer.getInteger("gradebook.synthetic");
        List<String> labFilter = List.of(System.getProperty("gradebook.labs", "").split(",")).stream().filter(s -> !s.isBlank()).toList();
        Path submissions = work.resolve("class");
        for (int i = 0; i < students; i++) {
            String name = String.format("student-%02d", i + 1);
            for (LabLayout lab : LabLayout.all(ROOT)) {
                if (!labFilter.isEmpty() && !labFilter.contains(lab.name())) {
                    continue;
                }
                Path code = code(submissions, name, lab.name());
                List<Path> fixtures = Fixture.folders(Fixture.folder(ROOT)).stream()
                        .filter(f -> f.getFileName().toString().startsWith(lab.name() + "-")).toList();
                switch (i % 3) {
                    case 0 -> copy(lab.solution(), code);
                    case 1 -> copy(lab.skeleton(), code);
                    default -> Fixture.load(fixtures.get(i % fixtures.size())).apply(lab, code);
                }
            }
        }
        Gradebook.Limits limits = Gradebook.Limits.defaults();
        long start = System.nanoTime();
        List<Gradebook.Row> rows = new Gradebook(ROOT, limits, work.resolve("work")).grade(submissions, work.resolve("out"), labFilter);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "graded a synthetic class of %d students (labs %s) with %d jobs: %d rows in %.1f s%n", students,
                labFilter.isEmpty() ? "all" : labFilter, limits.jobs(), rows.size(), seconds);
        assertThat(rows).isNotEmpty();
        // student-01 handed in the solutions, student-02 the skeletons: full marks and none.
        assertThat(rows.stream().filter(r -> r.student().equals("student-01"))).isNotEmpty()
                .allSatisfy(r -> assertThat(r.points()).as(r.toString()).isEqualTo(r.max()));
        assertThat(rows.stream().filter(r -> r.student().equals("student-02"))).isNotEmpty()
                .allSatisfy(r -> assertThat(r.points()).as(r.toString()).isZero());
    }

    @Test
    @DisplayName("every lab's points file names exactly its checker's tasks, and the gradebook reads it with the kit's Points")
    void pointsFiles(@TempDir Path work) throws Exception {
        Gradebook gradebook = new Gradebook(ROOT, Gradebook.Limits.defaults(), work);
        for (LabLayout lab : LabLayout.all(ROOT)) {
            java.util.Properties file = new java.util.Properties();
            try (java.io.Reader in = Files.newBufferedReader(lab.labDir().resolve("src/test/resources/points.properties"), StandardCharsets.UTF_8)) {
                file.load(in);
            }
            List<String> tasks = Gradebook.tasks(lab);
            assertThat(new java.util.TreeSet<>(file.stringPropertyNames())).as(lab.name()).isEqualTo(new java.util.TreeSet<>(tasks));
            Map<String, Integer> points = gradebook.pristine(lab).points();
            assertThat(points.keySet()).as(lab.name()).containsExactlyElementsOf(tasks);
            points.forEach((task, value) -> assertThat(value).as(lab.name() + " " + task).isEqualTo(Integer.parseInt(file.getProperty(task).strip())));
        }
    }

    private static int points(List<Gradebook.Row> rows) {
        return rows.stream().mapToInt(Gradebook.Row::points).sum();
    }

    private static Gradebook.Row cell(Map<String, List<Gradebook.Row>> rows, String student, String task) {
        return rows.get(student).stream().filter(r -> r.task().equals(task)).findFirst().orElseThrow();
    }

    private static Path code(Path submissions, String student, String lab) {
        return submissions.resolve(student).resolve("labs").resolve(lab).resolve("src/main/java");
    }

    private static void edit(Path file, Function<String, String> change) throws IOException {
        String before = Files.readString(file, StandardCharsets.UTF_8);
        String after = change.apply(before);
        assertThat(after).as("the edit of %s", file).isNotEqualTo(before);
        Files.writeString(file, after, StandardCharsets.UTF_8);
    }

    private static void copy(Path from, Path to) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target);
        }
        Files.createDirectories(to);
    }
}
