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
 * The notes' build really fails when an include or a diagram is broken: renders small documents
 * with the real docs/pom.xml (its plugin configuration, its failIf), in a nested offline Maven,
 * through the {@code docs.source} override. A valid document renders, with its diagram, so the
 * failures are not just a broken nested build.
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
        // One document with all four faults: the plugin stops at the first document that has
        // an issue, and one nested build is faster than four.
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

                [plantuml, target=broken-diagram, format=svg]
                ....
                participant A
                this line is not PlantUML
                ....
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

                [plantuml, target=valid-diagram, format=svg]
                ....
                participant Client
                participant Server
                Client -> Server : SYN
                Server --> Client : SYN-ACK
                Client -> Server : ACK
                ....
                """);

        // Two JVMs at once: each spends most of its time starting JRuby.
        Build brokenBuild = Build.start(brokenDocs, work.resolve("broken-out"));
        Build validBuild = Build.start(validDocs, work.resolve("valid-out"));
        broken = brokenBuild.await();
        valid = validBuild.await();
    }

    @Test
    @DisplayName("a valid document renders with the real configuration (the control), its diagram too")
    void validDocumentRenders() throws IOException {
        assertThat(valid.exitCode).as("exit code of a build of a valid document:\n%s", valid.output).isZero();
        Path html = valid.outputDir.resolve("valid.html");
        assertThat(html).exists();
        String page = Files.readString(html, StandardCharsets.UTF_8);
        String text = page.replaceAll("<[^>]*>", "");
        assertThat(text).contains("int answer = 42;").doesNotContain("tag::");
        assertThat(page).contains("<img src=\"images/valid-diagram.svg\"");
        assertThat(Files.readString(valid.outputDir.resolve("images/valid-diagram.svg"), StandardCharsets.UTF_8))
                .contains("SYN-ACK");
        // The build is quiet when nothing is wrong: no message from Asciidoctor at any level.
        assertThat(valid.output).as("output of the valid build").doesNotContainPattern("asciidoctor: [A-Z]+:");
    }

    @Test
    @DisplayName("a document with a missing include file, a missing tag, a missing anchor and a broken diagram fails the build")
    void brokenDocumentFails() {
        assertThat(broken.exitCode).as("exit code of a build with broken includes:\n%s", broken.output).isNotZero();
        // Each of the four counts as an issue of its own, so each alone fails the build.
        assertThat(broken.output).as("output of a build with broken includes")
                .contains("Found 4 issue(s)")
                .containsPattern("include file not found: \\S*/lab1/src/main/java/org/tcpworkbook/lab1/DoesNotExist\\.java")
                .containsPattern("tag 'no-such-tag' not found in include file: \\S*Tagged\\.java")
                .containsPattern("invalid reference: no-such-section")
                .contains("Failed to generate image");
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
