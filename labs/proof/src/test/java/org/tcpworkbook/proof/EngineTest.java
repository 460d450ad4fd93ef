package org.tcpworkbook.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpworkbook.proof.CheckerResult.Status;
import org.tcpworkbook.proof.CheckerResult.TestOutcome;

/**
 * The engine itself, on a tiny fake lab written here: it must tell a right variant from a wrong one,
 * capture what the student would read, and never hang. Without this, SkeletonsFailTest could pass
 * for the wrong reasons (a run that finds no tests, or reports everything as failed).
 */
class EngineTest {

    /** The kit's real JUnit settings: the fake lab runs with them unless a test says otherwise. */
    static final Path KIT_RESOURCES = LabLayout.workbookRoot().resolve("labs/kit/src/main/resources");

    static LabCompiler compiler;

    @TempDir
    Path dir;

    @BeforeAll
    static void openCompiler() {
        compiler = new LabCompiler();
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    static final Map<String, String> SOLUTION = Map.of("fake/Answer.java", """
            package fake;
            public final class Answer {
                public static int answer() { return 6 * Question.factor(); }
            }
            """);
    static final Map<String, String> SKELETON = Map.of("fake/Answer.java", """
            package fake;
            public final class Answer {
                public static int answer() { throw new UnsupportedOperationException("Answer.answer: not written yet"); }
            }
            """);
    static final Map<String, String> WRONG = Map.of("fake/Answer.java", """
            package fake;
            public final class Answer {
                public static int answer() { return 41; }
            }
            """);
    static final Map<String, String> GIVEN = Map.of("fake/Question.java", """
            package fake;
            public final class Question {
                public static int factor() { return 7; }
            }
            """);
    static final Map<String, String> KIT = Map.of(
            "fakekit/Referee.java", """
            package fakekit;
            import static org.assertj.core.api.Assertions.assertThat;
            import java.util.function.IntSupplier;
            public final class Referee {
                public static void expectAnswer(IntSupplier answer) {
                    int got;
                    try {
                        got = answer.getAsInt();
                    } catch (UnsupportedOperationException e) {
                        throw new AssertionError("answer() is not written yet: see fake.html#answer", e);
                    }
                    assertThat(got).as("answer(): see fake.html#answer").isEqualTo(42);
                }
            }
            """,
            // A kit class that looks like a test: it must never be run as one.
            "fakekit/KitSelfTest.java", """
            package fakekit;
            import org.junit.jupiter.api.Test;
            public class KitSelfTest {
                @Test void kit_classes_are_not_tests() { throw new AssertionError("a kit class was run as a test"); }
            }
            """);
    static final Map<String, String> CHECKER = Map.of(
            "fake/AnswerTest.java", """
            package fake;
            import static org.assertj.core.api.Assertions.assertThat;
            import org.junit.jupiter.api.*;
            class AnswerTest {
                @Test @Tag("task-1") void returns_forty_two() { fakekit.Referee.expectAnswer(Answer::answer); }

                @Nested @DisplayName("when asked twice") @Tag("task-2")
                class Twice {
                    @Test void answers_the_same() {
                        assertThat(Answer.answer()).as("see fake.html#twice").isEqualTo(Answer.answer());
                    }
                }

                @Test @Tag("ungraded") @DisplayName("the question is given (ungraded: given code)")
                void question() { assertThat(Question.factor()).isEqualTo(7); }
            }
            """,
            "fake/SetupTest.java", """
            package fake;
            import org.junit.jupiter.api.*;
            @Tag("task-3")
            class SetupTest {
                static int answer;
                @BeforeAll static void ask() { answer = Answer.answer(); }
                @Test void asked_once() { Assertions.assertEquals(42, answer, "see fake.html#setup"); }
            }
            """,
            // Outside surefire's default includes: surefire would not run it, so neither does the proof.
            "fake/AnswerChecks.java", """
            package fake;
            import org.junit.jupiter.api.Test;
            class AnswerChecks {
                @Test void never_run() { throw new AssertionError("run although surefire would not run it"); }
            }
            """);

    Path given, kit, checker;

    @BeforeEach
    void writeFakeLab() throws IOException {
        given = write("given", GIVEN);
        kit = write("kit", KIT);
        checker = write("checker", CHECKER);
    }

    @Test
    void the_right_variant_passes_every_test_with_the_kits_settings() throws IOException {
        CheckerResult result = run(compile("solution", SOLUTION));

        assertThat(result.allSuccessful()).as(result.describe()).isTrue();
        assertThat(result.tests()).extracting(TestOutcome::displayName).containsExactlyInAnyOrder(
                "AnswerTest > returns forty two", // underscores replaced: the kit's display-name generator is in effect
                "AnswerTest > when asked twice > answers the same",
                "AnswerTest > the question is given (ungraded: given code)",
                "SetupTest > asked once");
        assertThat(result.find("answers the same").orElseThrow().tags())
                .as("tags of a nested class's test, inherited ones included").containsExactlyInAnyOrder("task-2");
        assertThat(result.find("asked once").orElseThrow().tags()).containsExactly("task-3");
        assertThat(result.find("answers the same").orElseThrow().uniqueId()).contains("fake.AnswerTest", "Twice", "answers_the_same");
        assertThat(result.excluded()).containsExactly("fake.AnswerChecks");
        assertThat(result.configuration())
                .as("the kit's junit-platform.properties, read through the context class loader")
                .containsEntry("junit.jupiter.execution.timeout.default", kitProperty("junit.jupiter.execution.timeout.default"))
                .containsEntry("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD");
        assertThat(result.configuration().get("junit.jupiter.execution.timeout.default")).isEqualTo("20 s");
    }

    @Test
    void the_skeleton_fails_every_graded_test_with_the_message_the_student_reads() throws IOException {
        CheckerResult result = run(compile("skeleton", SKELETON));

        assertThat(result.allSuccessful()).isFalse();
        assertThat(result.with(Status.SUCCESSFUL)).as(result.describe())
                .extracting(TestOutcome::displayName).containsExactly("AnswerTest > the question is given (ungraded: given code)");
        TestOutcome answer = result.find("returns forty two").orElseThrow();
        assertThat(answer.status()).isEqualTo(Status.FAILED);
        assertThat(answer.message()).isEqualTo("answer() is not written yet: see fake.html#answer");
        assertThat(answer.duration()).isPositive();
        TestOutcome twice = result.find("answers the same").orElseThrow();
        assertThat(twice.status()).isEqualTo(Status.FAILED);
        assertThat(twice.failure()).isEqualTo("java.lang.UnsupportedOperationException: Answer.answer: not written yet");
        // @BeforeAll threw: its class's tests never ran, and count as failed with that throwable.
        TestOutcome setup = result.find("asked once").orElseThrow();
        assertThat(setup.status()).isEqualTo(Status.FAILED);
        assertThat(setup.message()).isEqualTo("Answer.answer: not written yet");
        assertThat(result.problems()).singleElement().asString().startsWith("SetupTest: FAILED");
    }

    @Test
    void a_wrong_answer_fails_with_assertj_message() throws IOException {
        CheckerResult result = run(compile("wrong", WRONG));

        TestOutcome answer = result.find("returns forty two").orElseThrow();
        assertThat(answer.status()).isEqualTo(Status.FAILED);
        assertThat(answer.message()).contains("[answer(): see fake.html#answer]", "expected: 42", "but was: 41");
        assertThat(result.find("answers the same").orElseThrow().status()).isEqualTo(Status.SUCCESSFUL);
        assertThat(result.find("asked once").orElseThrow().message()).contains("see fake.html#setup", "expected: <42> but was: <41>");
    }

    @Test
    void a_mutant_reuses_the_compiled_checker_and_gets_fresh_static_state() throws IOException {
        CompiledLab solution = compile("solution", SOLUTION);
        Path wrongMain = compiler.compileMain(sources("wrong", write("wrong", WRONG)), dir.resolve("out-wrong-main"));
        CompiledLab mutant = solution.withMain("fake (wrong, reusing the checker)", wrongMain);

        assertThat(run(mutant).find("returns forty two").orElseThrow().message()).contains("but was: 41");
        assertThat(run(solution).allSuccessful()).isTrue();
        assertThat(run(mutant).find("asked once").orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void sources_are_read_as_utf8_whatever_this_jvms_default_charset() throws IOException {
        assertThat(Charset.defaultCharset()).as("the proof runs with -Dfile.encoding=ISO-8859-1, as the checkers do")
                .isEqualTo(StandardCharsets.ISO_8859_1);
        // "关闭" is 2 chars read as UTF-8, 6 (its UTF-8 bytes) read as ISO-8859-1: only UTF-8 makes 42.
        CheckerResult result = run(compile("chinese", Map.of("fake/Answer.java", """
                package fake;
                /** 回答：四十二 */
                public final class Answer {
                    public static int answer() { return 40 + "关闭".length() + Question.factor() - 7; }
                }
                """)));
        assertThat(result.allSuccessful()).as(result.describe()).isTrue();
    }

    @Test
    void compile_errors_are_reported_in_full() throws IOException {
        Path broken = write("broken", Map.of("fake/Answer.java", """
                package fake;
                public final class Answer {
                    public static int answer() { return "42"; }
                    public static int other() { return missing(); }
                }
                """));
        assertThatThrownBy(() -> compiler.compile(sources("broken", broken), dir.resolve("out-broken")))
                .isInstanceOf(LabCompiler.CompilationFailedException.class)
                .message()
                .contains("compiling fake (broken), main failed")
                .contains("Answer.java:3: error: incompatible types: java.lang.String cannot be converted to int")
                .contains("Answer.java:4: error: cannot find symbol")
                .contains("missing()");
    }

    @Test
    void a_test_blocked_forever_is_ended_by_the_shared_timeout() throws IOException {
        // The kit's own settings, with only the default timeout shortened to keep this fast.
        String kitSettings = withoutKitClasses(Files.readString(KIT_RESOURCES.resolve("junit-platform.properties")));
        String shortened = kitSettings.replaceAll("(?m)^junit\\.jupiter\\.execution\\.timeout\\.default=.*$",
                "junit.jupiter.execution.timeout.default=300 ms");
        assertThat(shortened).as("the kit sets junit.jupiter.execution.timeout.default").isNotEqualTo(kitSettings);
        Path resources = write("resources", Map.of("junit-platform.properties", shortened));
        Path blocking = write("blocking", Map.of("fake/BlockingTest.java", """
                package fake;
                import org.junit.jupiter.api.*;
                class BlockingTest {
                    @Test @Tag("task-1") void waits_for_ever() {
                        while (true) {
                            try { Thread.sleep(60_000); } catch (InterruptedException ignored) { } // deaf to interrupts
                        }
                    }
                }
                """));
        LabSources sources = new LabSources("fake (blocking)", List.of(given, write("solution", SOLUTION)), List.of(kit),
                List.of(blocking), List.of(resources));
        CompiledLab lab = compiler.compile(sources, dir.resolve("out-blocking"));

        CheckerResult result = CheckerRun.of(lab).withTimeout(Duration.ofSeconds(30)).run();

        assertThat(result.timedOut()).as(result.describe()).isFalse();
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(15));
        TestOutcome test = result.find("waits for ever").orElseThrow();
        assertThat(test.status()).isEqualTo(Status.FAILED);
        assertThat(test.message()).containsPattern("timed out after 300 m\\S+seconds"); // "mıllıseconds" in this JVM's Turkish locale
    }

    @Test
    void the_whole_run_is_bounded_even_without_any_timeout_setting() throws IOException {
        Path noSettings = Files.createDirectories(dir.resolve("no-settings"));
        Path blocking = write("blocking", Map.of("fake/BlockingTest.java", """
                package fake;
                import org.junit.jupiter.api.*;
                @TestMethodOrder(MethodOrderer.MethodName.class)
                class BlockingTest {
                    @Test void first() { }
                    @Test void waits_for_ever() {
                        while (true) {
                            try { Thread.sleep(60_000); } catch (InterruptedException ignored) { }
                        }
                    }
                }
                """));
        LabSources sources = new LabSources("fake (unbounded)", List.of(given, write("solution", SOLUTION)), List.of(kit),
                List.of(blocking), List.of(noSettings));
        CompiledLab lab = compiler.compile(sources, dir.resolve("out-unbounded"));

        CheckerResult result = CheckerRun.of(lab).withTimeout(Duration.ofSeconds(1)).run();

        assertThat(result.timedOut()).isTrue();
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(10));
        assertThat(result.configuration()).doesNotContainKey("junit.jupiter.execution.timeout.default");
        assertThat(result.tests()).extracting(TestOutcome::displayName, TestOutcome::status).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("BlockingTest > first()", Status.SUCCESSFUL),
                org.assertj.core.groups.Tuple.tuple("BlockingTest > waits_for_ever()", Status.NOT_FINISHED));
        assertThat(result.allSuccessful()).isFalse();
    }

    // --- the fake lab ---

    private CompiledLab compile(String variant, Map<String, String> mainFiles) throws IOException {
        return compiler.compile(sources(variant, write(variant, mainFiles)), dir.resolve("out-" + variant));
    }

    private LabSources sources(String variant, Path main) throws IOException {
        Path settings = write("kit-settings", Map.of("junit-platform.properties",
                withoutKitClasses(Files.readString(KIT_RESOURCES.resolve("junit-platform.properties")))));
        return new LabSources("fake (" + variant + ")", List.of(given, main), List.of(kit), List.of(checker), List.of(settings));
    }

    /**
     * The kit's settings without those naming the real kit's classes (its task and source orderers),
     * which the fake kit does not have: JUnit would warn, with a stack trace, on every run.
     */
    static String withoutKitClasses(String settings) {
        return settings.replaceAll("(?m)^[^#\\n]*=org\\.tcpworkbook\\.kit\\..*\\R?", "");
    }

    private static CheckerResult run(CompiledLab lab) {
        return CheckerRun.of(lab).withTimeout(Duration.ofSeconds(30)).run();
    }

    private Path write(String folder, Map<String, String> files) throws IOException {
        Path root = dir.resolve(folder);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return root;
    }

    private static String kitProperty(String key) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(KIT_RESOURCES.resolve("junit-platform.properties"))) {
            properties.load(in);
        }
        return properties.getProperty(key);
    }
}
