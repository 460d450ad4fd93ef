package org.tcpworkbook.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control for the engine on a real lab: its checker, run in-process against its reference
 * solution, passes every test, as it does under surefire in {@code verify -Psolutions}. So a failure
 * in SkeletonsFailTest (or a rejected mutant) is the variant's doing, not the pipeline's.
 *
 * <p>One lab shows that the engine agrees with surefire (the kit's settings reach the checker, the
 * platform arguments, the class loaders); the lab modules themselves run every checker on its
 * solution in the same {@code verify -Psolutions}, so running all five again here proved nothing
 * more and took half a minute. {@code -Dproof.solutions='lab.*'} runs the labs whose name matches
 * (default {@value #DEFAULT_LABS}).
 */
class SolutionsPassTest {

    /** lab1: the quickest checker, with the kit's peers, timeouts, leak check and platform settings. */
    static final String DEFAULT_LABS = "lab1";

    static LabCompiler compiler;

    @TempDir
    static Path work;

    @BeforeAll
    static void openCompiler() {
        compiler = new LabCompiler();
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    @Test
    void this_jvm_resolves_names_with_the_kits_table_as_the_checkers_do() throws IOException {
        String hostsFile = System.getProperty("jdk.net.hosts.file");
        assertThat(hostsFile).as("-Djdk.net.hosts.file in surefire's argLine").isNotNull();
        assertThat(Path.of(hostsFile).toRealPath())
                .isEqualTo(SkeletonsFailTest.ROOT.resolve("labs/kit/test-hosts").toRealPath());
        // The kit's table answers a string that is not an address literal; DNS would not.
        assertThat(InetAddress.getByName("example.invalid").getHostAddress()).isEqualTo("192.0.2.1");
    }

    @Test
    void this_jvm_defaults_to_iso_8859_1_as_the_checkers_do() {
        // labs/pom.xml runs every check with -Dfile.encoding=ISO-8859-1, so that code relying on the
        // platform's default charset fails on every JDK and locale; in-process, the checkers get this JVM's.
        assertThat(System.getProperty("file.encoding")).as("-Dfile.encoding in surefire's argLine").isEqualTo("ISO-8859-1");
        assertThat(Charset.defaultCharset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(new String("关闭".getBytes(StandardCharsets.UTF_8))).as("UTF-8 bytes decoded with the default charset")
                .hasSize(6).isNotEqualTo("关闭");
    }

    @Test
    void the_labs_compile_with_the_shared_given_code_of_labs_common() {
        Path common = SkeletonsFailTest.ROOT.resolve("labs/common/src/main/java");
        assertThat(common.resolve("org/tcpworkbook/chat/ChatProtocol.java")).isRegularFile();
        for (LabLayout lab : LabLayout.all(SkeletonsFailTest.ROOT)) {
            assertThat(lab.skeletonSources().mainRoots()).as(lab.name() + " (skeleton)").contains(common);
            assertThat(lab.solutionSources().mainRoots()).as(lab.name() + " (solution)").contains(common);
        }
    }

    @TestFactory
    Stream<DynamicTest> every_checker_passes_on_its_solution_in_process() {
        List<LabLayout> all = LabLayout.all(SkeletonsFailTest.ROOT).stream().filter(LabLayout::hasSolution).toList();
        assertThat(all).extracting(LabLayout::name).as("labs with a solution in solutions/labN/src/main/java").contains("lab1");
        String only = System.getProperty("proof.solutions", DEFAULT_LABS);
        List<LabLayout> labs = all.stream().filter(lab -> lab.name().matches(only)).toList();
        assertThat(labs).as("labs with a solution whose name matches -Dproof.solutions=%s", only).isNotEmpty();
        return labs.stream().map(lab -> dynamicTest(lab.name() + ": the checker passes the solution", () -> {
            long start = System.nanoTime();
            CompiledLab compiled = compiler.compile(lab.solutionSources(), work.resolve(lab.name()));
            Duration compiling = Duration.ofNanos(System.nanoTime() - start);
            CheckerResult result = CheckerRun.of(compiled).run();
            System.out.println(result.summary() + " (compile " + compiling.toMillis() + " ms)");

            assertThat(result.allSuccessful())
                    .withFailMessage("%s: in-process, the checker does not pass the reference solution, as surefire says it does:%n%s",
                            lab.name(), result.describe())
                    .isTrue();
            assertThat(result.configuration()).containsEntry("junit.jupiter.execution.timeout.default", SkeletonsFailTest.kitTimeout());
        }));
    }
}
