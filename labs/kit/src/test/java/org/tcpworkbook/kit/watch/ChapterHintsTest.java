package org.tcpworkbook.kit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hints the watch loop shows are the chapters' own: every task of every lab (numbered as its
 * checker tags it, {@code task-K}) has two or three hints with the ids {@code labN-taskK-hint1..3},
 * each titled "Hint n: what it helps with", and the loop can read each of them, in order.
 */
class ChapterHintsTest {

    private static final Pattern TAG = Pattern.compile("@Tag\\(\"task-(\\d+)\"\\)");

    @Test
    void every_task_of_every_lab_has_two_or_three_titled_hints_the_watch_can_show() throws IOException {
        Path root = workbookRoot();
        List<String> problems = new ArrayList<>();
        List<Path> labs;
        try (Stream<Path> dirs = Files.list(root.resolve("labs"))) {
            labs = dirs.filter(d -> d.getFileName().toString().matches("lab\\d+")).sorted().toList();
        }
        assertThat(labs).as("labs under %s", root).isNotEmpty();
        for (Path lab : labs) {
            String name = lab.getFileName().toString();
            Hints hints = Hints.forLab(lab);
            assertThat(hints.chapter()).as("the chapter of %s", name).isNotNull();
            for (int task : checkerTasks(lab)) {
                int count = 0;
                for (int n = 1; n <= 4; n++) {
                    Optional<Hints.Hint> hint = Hints.read(hints.chapter(), name + "-task" + task + "-hint" + n);
                    if (hint.isEmpty()) {
                        break;
                    }
                    count = n;
                    if (!hint.get().title().matches("Hint " + n + ": \\S.*")) {
                        problems.add(hint.get().id() + " is titled \"" + hint.get().title() + "\", not \"Hint " + n + ": <what it helps with>\"");
                    }
                    if (hint.get().text().isBlank()) {
                        problems.add(hint.get().id() + " has no text");
                    }
                    String shown = hints.next(task);
                    if (!shown.startsWith("Task " + task + ", Hint " + n + ":")) {
                        problems.add(name + ": the watch's hint " + n + " for task " + task + " reads \"" + shown.lines().findFirst().orElse("") + "\"");
                    }
                }
                if (count < 2 || count > 3) {
                    problems.add(name + " task " + task + " has " + count + " hints (" + name + "-task" + task + "-hint1...), not 2 or 3");
                }
            }
        }
        assertThat(problems).as("hint problems").isEmpty();
    }

    /** The task numbers the lab's checker tags. */
    private static TreeSet<Integer> checkerTasks(Path lab) throws IOException {
        TreeSet<Integer> tasks = new TreeSet<>();
        try (Stream<Path> files = Files.walk(lab.resolve("src/test/java"))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                Matcher m = TAG.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    tasks.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        assertThat(tasks).as("task tags in %s's checker", lab.getFileName()).isNotEmpty();
        return tasks;
    }

    private static Path workbookRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/src/docs/asciidoc")) && Files.isDirectory(dir.resolve("labs"))) {
                return dir;
            }
        }
        throw new IllegalStateException("workbook root not found above " + Path.of("").toAbsolutePath());
    }
}
