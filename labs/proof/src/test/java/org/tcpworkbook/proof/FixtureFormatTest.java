package org.tcpworkbook.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture format (see {@link Fixture}): patches of the solution, the keys, and every mistake refused by name. */
class FixtureFormatTest {

    static final Path ROOT = LabLayout.workbookRoot();

    private static final String SOURCE = """
            class Counter {
                private int count;

                void add() {
                    count++;
                }

                int count() {
                    return count;
                }
            }
            """;

    /** diff -u of SOURCE against a Counter whose add() forgets to count. */
    private static final String PATCH = """
            --- solutions/lab9/src/main/java/org/tcpworkbook/lab9/Counter.java
            +++ Counter.java (mutant)
            @@ -2,7 +2,7 @@
                 private int count;

                 void add() {
            -        count++;
            +        // MUTANT: forgets to count
                 }

                 int count() {
            """;

    @Test
    void a_patch_applies_with_its_exact_context_wherever_the_lines_now_are(@TempDir Path dir) throws Exception {
        Path patchFile = Files.writeString(dir.resolve("Counter.java.patch"), PATCH);
        SourcePatch patch = SourcePatch.read(patchFile);
        assertThat(patch.hunks()).containsExactly("@@ -2,7 +2,7 @@");

        Path same = Files.writeString(dir.resolve("Same.java"), SOURCE);
        patch.applyTo(same);
        assertThat(same).content(StandardCharsets.UTF_8).isEqualTo(SOURCE.replace("count++;", "// MUTANT: forgets to count"));

        // Lines added above the hunk since the patch was made: it applies where its lines now are.
        String moved = "// a licence\n// of three\n// lines\n" + SOURCE;
        Path offset = Files.writeString(dir.resolve("Moved.java"), moved);
        patch.applyTo(offset);
        assertThat(offset).content(StandardCharsets.UTF_8).isEqualTo(moved.replace("count++;", "// MUTANT: forgets to count"));

        // A line of the hunk's context changed: refused, not applied by guess, and the file left as it was.
        String changed = SOURCE.replace("void add() {", "void add() { // one more");
        Path edited = Files.writeString(dir.resolve("Edited.java"), changed);
        assertThatThrownBy(() -> patch.applyTo(edited)).isInstanceOf(SourcePatch.PatchException.class)
                .hasMessageStartingWith("hunk 1 of 1 (@@ -2,7 +2,7 @@) does not apply: its 7 lines of the solution,"
                        + " from \"private int count;\", are found nowhere in the file");
        assertThat(edited).content(StandardCharsets.UTF_8).isEqualTo(changed);
    }

    @Test
    void a_patch_that_is_not_a_unified_diff_is_refused(@TempDir Path dir) throws IOException {
        Path whole = Files.writeString(dir.resolve("Whole.java.patch"), SOURCE);
        assertThatThrownBy(() -> SourcePatch.read(whole)).isInstanceOf(SourcePatch.PatchException.class)
                .hasMessageStartingWith("no hunk");
        Path cut = Files.writeString(dir.resolve("Cut.java.patch"), PATCH.substring(0, PATCH.indexOf("     int count()")));
        assertThatThrownBy(() -> SourcePatch.read(cut)).isInstanceOf(SourcePatch.PatchException.class)
                .hasMessageStartingWith("hunk 1 (@@ -2,7 +2,7 @@) is shorter than its header says");
    }

    @Test
    void a_catalogue_fixture_is_the_solution_with_its_patch_applied(@TempDir Path dir) throws IOException {
        LabLayout lab2 = LabLayout.of(ROOT, "lab2");
        Fixture flush = Fixture.load(Fixture.folder(ROOT).resolve("lab2-no-flush"));
        assertThat(flush.lab()).isEqualTo("lab2");
        assertThat(flush.patches()).containsExactly(Path.of("ChatClient.java.patch"));
        assertThat(flush.runs()).isEqualTo(1);

        Path mutant = flush.apply(lab2, dir.resolve("mutant"));

        Path client = Path.of("org/tcpworkbook/lab2/ChatClient.java");
        Path chat = Path.of("org/tcpworkbook/lab2/Chat.java");
        assertThat(mutant.resolve(chat)).hasSameBinaryContentAs(lab2.solution().resolve(chat.toString()));
        String solution = Files.readString(lab2.solution().resolve(client.toString()), StandardCharsets.UTF_8);
        assertThat(solution).contains("out.flush();");
        assertThat(mutant.resolve(client)).content(StandardCharsets.UTF_8).doesNotContain("out.flush();");
        try (Stream<Path> files = Files.walk(mutant)) {
            assertThat(files.filter(Files::isRegularFile).map(mutant::relativize).toList()).containsExactlyInAnyOrder(client, chat);
        }
    }

    @Test
    void the_rate_keys_are_read(@TempDir Path dir) throws IOException {
        Path folder = fixture(dir, "lab2-leaky", "lab=lab2\nbug=leaks\nexpect=still open\nexpect.test=Task 1\nruns=20\nleak=true\n");
        Fixture leaky = Fixture.load(folder);
        assertThat(leaky.runs()).isEqualTo(20);
        assertThat(leaky.leak()).isTrue();
        assertThat(leaky.race()).isFalse();
        assertThat(leaky.expectTest()).hasValueSatisfying(p -> assertThat(p.pattern()).isEqualTo("Task 1"));
    }

    @Test
    void a_malformed_fixture_is_refused_with_every_mistake_named(@TempDir Path dir) throws IOException {
        Path folder = fixture(dir, "lab2-bad", """
                lab=Lab 2
                expected=One read
                expect.1=One read(
                expect.2=
                runs=many
                leak=yes
                """);
        Files.writeString(folder.resolve("NOTES.md"), "why");
        Files.createDirectories(folder.resolve("org/tcpworkbook/lab2"));
        Files.writeString(folder.resolve("org/tcpworkbook/lab2/ChatClient.java"), "package org.tcpworkbook.lab2;\n");
        assertThatThrownBy(() -> Fixture.load(folder)).isInstanceOf(Fixture.MalformedFixtureException.class)
                .hasMessageContaining("fixture lab2-bad (")
                .hasMessageContaining("lab must name a lab folder (lab1, lab2, ...), not \"Lab 2\"")
                .hasMessageContaining("bug must be one line")
                .hasMessageContaining("unknown key expected")
                .hasMessageContaining("expect.1 is not a Java regex")
                .hasMessageContaining("expect.2 is empty")
                .hasMessageContaining("runs must be a whole number from 1 to 1000, not \"many\"")
                .hasMessageContaining("leak must be true or false, not \"yes\"")
                .hasMessageContaining("NOTES.md is neither fixture.properties nor a <ClassName>.java.patch beside it")
                .hasMessageContaining("org/tcpworkbook/lab2/ChatClient.java is a whole copy of a source, a form no longer read:"
                        + " store the mutant as a patch of the solution's file, ChatClient.java.patch in this folder");

        Path once = fixture(dir, "lab4-racy", "lab=lab4\nbug=a race\nexpect=.\nrace=true\n");
        assertThatThrownBy(() -> Fixture.load(once)).isInstanceOf(Fixture.MalformedFixtureException.class)
                .hasMessageContaining("race=true needs runs=20 or more, not 1");
    }

    @Test
    void a_patch_of_no_class_or_with_a_stale_hunk_is_refused_naming_fixture_patch_and_hunk(@TempDir Path dir) throws IOException {
        LabLayout lab2 = LabLayout.of(ROOT, "lab2");
        assertThatThrownBy(() -> patched(dir, "lab2-misspelt", "Chatclient.java.patch").apply(lab2, dir.resolve("typo")))
                .isInstanceOf(Fixture.MalformedFixtureException.class)
                .hasMessageContaining("fixture lab2-misspelt")
                .hasMessageContaining("Chatclient.java.patch patches nothing: the solution (")
                .hasMessageContaining(") has no Chatclient.java");
        // PATCH was made from another file: its hunk is found nowhere in ChatClient.java.
        assertThatThrownBy(() -> patched(dir, "lab2-stale", "ChatClient.java.patch").apply(lab2, dir.resolve("stale")))
                .isInstanceOf(Fixture.MalformedFixtureException.class)
                .hasMessageContaining("fixture lab2-stale")
                .hasMessageContaining("ChatClient.java.patch does not apply to " + lab2.solution().resolve("org/tcpworkbook/lab2/ChatClient.java")
                        + ": hunk 1 of 1 (@@ -2,7 +2,7 @@) does not apply");
    }

    /** A lab2 fixture whose one patch, named {@code patchName}, is {@link #PATCH}. */
    private static Fixture patched(Path dir, String name, String patchName) throws IOException {
        Path folder = fixture(dir, name, "lab=lab2\nbug=a patch of the wrong file\nexpect=.\n");
        Files.writeString(folder.resolve(patchName), PATCH);
        return Fixture.load(folder);
    }

    @Test
    void every_catalogue_fixture_loads_and_applies(@TempDir Path dir) {
        List<Path> folders = Fixture.folders(Fixture.folder(ROOT));
        assertThat(folders).isNotEmpty();
        for (Path folder : folders) {
            Fixture fixture = Fixture.load(folder);
            assertThat(fixture.patches()).as("%s: a mutant changes at least one class", fixture.name()).isNotEmpty();
            fixture.apply(LabLayout.of(ROOT, fixture.lab()), dir.resolve(fixture.name()));
        }
    }

    private static Path fixture(Path dir, String name, String properties) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve(Fixture.PROPERTIES), properties);
        return folder;
    }
}
