package org.tcpworkbook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notes' build really fails when an include is broken: renders small documents with the real
 * docs/pom.xml (its plugin configuration, its failIf), in a nested offline Maven, through the
 * {@code docs.source} override. A valid document renders, so the failures are not just a broken
 * nested build.
 */
class BrokenIncludeTest {

    private static final long TIMEOUT_SECONDS = 180;
    private static final String TAGGED_JAVA = """
            class Tagged {
                // tag::here[]
                int answer = 42;
                // end::here[]
            }
            """;

    @TempDir
    static Path work;

    static Build broken;
    static Build valid;

    @BeforeAll
    static void renderBothAtOnce() throws Exception {
        // One document with all three faults: the plugin stops at the first document that has
        // an issue, and one nested build is faster than three.
        Path brokenDocs = Files.createDirectories(work.resolve("broken"));
        write(brokenDocs.resolve("Tagged.java"), TAGGED_JAVA);
        write(brokenDocs.resolve("broken.adoc"), """
                = Broken

                See <<no-such-section>>.

                [#a-section]
                == A section

                [source,java]
                ----
                include::{solutions}/lab1/src/main/java/org/tcpworkbook/lab1/DoesNotExist.java[]
                ----

                [source,java]
                ----
                include::Tagged.java[tag=no-such-tag]
                ----
                """);

        Path validDocs = Files.createDirectories(work.resolve("valid"));
        write(validDocs.resolve("Tagged.java"), TAGGED_JAVA);
        write(validDocs.resolve("valid.adoc"), """
                = Valid

                See <<a-section>>.

                [#a-section]
                == A section

                [source,java]
                ----
                include::Tagged.java[tag=here,indent=0]
                ----
                """);

        // Two JVMs at once: each spends most of its time starting JRuby.
        Build brokenBuild = Build.start(brokenDocs, work.resolve("broken-out"));
        Build validBuild = Build.start(validDocs, work.resolve("valid-out"));
        broken = brokenBuild.await();
        valid = validBuild.await();
    }

    @Test
    @DisplayName("a valid document renders with the real configuration (the control)")
    void validDocumentRenders() throws IOException {
        assertThat(valid.exitCode).as("exit code of a build of a valid document:\n%s", valid.output).isZero();
        Path html = valid.outputDir.resolve("valid.html");
        assertThat(html).exists();
        String text = Files.readString(html, StandardCharsets.UTF_8).replaceAll("<[^>]*>", "");
        assertThat(text).contains("int answer = 42;").doesNotContain("tag::");
    }

    @Test
    @DisplayName("a document with a missing include file, a missing tag and a missing anchor fails the build")
    void brokenDocumentFails() {
        assertThat(broken.exitCode).as("exit code of a build with broken includes:\n%s", broken.output).isNotZero();
        // Each of the three counts as an issue of its own, so each alone fails the build.
        assertThat(broken.output).as("output of a build with broken includes")
                .contains("Found 3 issue(s)")
                .containsPattern("include file not found: \\S*/lab1/src/main/java/org/tcpworkbook/lab1/DoesNotExist\\.java")
                .containsPattern("tag 'no-such-tag' not found in include file: \\S*Tagged\\.java")
                .containsPattern("invalid reference: no-such-section");
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A nested {@code mvn -o generate-resources} of docs/pom.xml on another source folder. */
    static final class Build {
        final Path outputDir;
        final Path log;
        final Process process;
        int exitCode;
        String output;

        private Build(Path outputDir, Path log, Process process) {
            this.outputDir = outputDir;
            this.log = log;
            this.process = process;
        }

        static Build start(Path sourceDir, Path outputDir) throws IOException {
            String mavenHome = System.getProperty("maven.home");
            assertThat(mavenHome).as("system property maven.home (set by docs/pom.xml)").isNotBlank();
            boolean windows = System.getProperty("os.name").toLowerCase().contains("win");
            Path mvn = Path.of(mavenHome, "bin", windows ? "mvn.cmd" : "mvn");
            assertThat(mvn).exists();

            List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-o", "-ntp",
                    "-f", System.getProperty("docs.pom", "pom.xml"),
                    "generate-resources",
                    "-Ddocs.source=" + sourceDir,
                    "-Ddocs.output=" + outputDir));
            String repo = System.getProperty("maven.repo.local");
            if (repo != null && !repo.isBlank()) {
                command.add("-Dmaven.repo.local=" + repo);
            }
            Path log = outputDir.resolveSibling(outputDir.getFileName() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File(windows ? "NUL" : "/dev/null")));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().remove("MAVEN_ARGS");
            return new Build(outputDir, log, builder.start());
        }

        Build await() throws IOException, InterruptedException {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
                throw new AssertionError("nested Maven did not finish in " + TIMEOUT_SECONDS + " s:\n" + output);
            }
            exitCode = process.exitValue();
            output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return this;
        }
    }
}
