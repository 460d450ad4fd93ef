package org.tcpworkbook.kit.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker's parent loader hides the lab's build folder, which is on the watch JVM's class path
 * too: else the classes Maven compiled at the start would shadow every fresh compilation.
 */
class HidingTest {

    @TempDir
    Path root;

    @Test
    void hides_classes_and_resources_of_the_hidden_folders_only() throws Exception {
        Path hidden = root.resolve("lab/target/classes");
        Path shown = root.resolve("libs");
        Files.createDirectories(hidden.resolve("demo"));
        Files.createDirectories(shown);
        Files.writeString(hidden.resolve("demo/Stale.class"), "not even a class", StandardCharsets.UTF_8);
        Files.writeString(hidden.resolve("both.txt"), "hidden", StandardCharsets.UTF_8);
        Files.writeString(shown.resolve("both.txt"), "shown", StandardCharsets.UTF_8);
        try (URLClassLoader jvm = new URLClassLoader(new URL[] {hidden.toUri().toURL(), shown.toUri().toURL()},
                HidingTest.class.getClassLoader())) {
            ClassLoader libraries = new CheckerRunner.Hiding(jvm, List.of(root.resolve("lab/target")));

            assertThatThrownBy(() -> libraries.loadClass("demo.Stale"))
                    .as("a class of the hidden build folder").isInstanceOf(ClassNotFoundException.class);
            assertThat(libraries.loadClass(Test.class.getName())).as("a library class").isSameAs(Test.class);
            assertThat(libraries.getResource("both.txt")).as("the one resource outside the hidden folder")
                    .isEqualTo(shown.resolve("both.txt").toUri().toURL());
            assertThat(Collections.list(libraries.getResources("both.txt"))).hasSize(1);
            assertThat(jvm.getResource("both.txt")).as("without hiding, the stale copy comes first")
                    .isEqualTo(hidden.resolve("both.txt").toUri().toURL());
        }
    }
}
