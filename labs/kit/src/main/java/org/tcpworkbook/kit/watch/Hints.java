package org.tcpworkbook.kit.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hints of a lab's chapter (docs/src/docs/asciidoc/labN.adoc), read from its source: each task
 * has two or three collapsible blocks with the ids {@code labN-taskK-hint1}, {@code -hint2},
 * {@code -hint3}, from a nudge to the exact API, each titled by what it helps with. The watch loop
 * shows them one at a time, the next one on each request, and keeps count per task.
 */
final class Hints {

    /** One hint: its title (".Hint 1: which port did the OS choose?") and its text, markup stripped. */
    record Hint(String id, String title, String text) {
    }

    private final String lab;
    private final Path chapter;
    private final Map<Integer, Integer> shown = new HashMap<>();

    Hints(String lab, Path chapter) {
        this.lab = lab;
        this.chapter = chapter;
    }

    /** The chapter of {@code labDir}'s lab, found from the workbook root above it; null if none. */
    static Hints forLab(Path labDir) {
        String lab = labDir.getFileName().toString();
        for (Path dir = labDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path chapter = dir.resolve("docs/src/docs/asciidoc").resolve(lab + ".adoc");
            if (Files.isRegularFile(chapter)) {
                return new Hints(lab, chapter);
            }
        }
        return new Hints(lab, null);
    }

    Path chapter() {
        return chapter;
    }

    /** What to print for the next hint of {@code task}: the hint, or why there is none. */
    String next(int task) throws IOException {
        if (chapter == null) {
            return "No chapter found for " + lab + " (looked for docs/src/docs/asciidoc/" + lab
                    + ".adoc above the lab's folder).";
        }
        int number = shown.getOrDefault(task, 0) + 1;
        Optional<Hint> hint = read(chapter, lab + "-task" + task + "-hint" + number);
        if (hint.isEmpty()) {
            if (number == 1) {
                return "Task " + task + " has no hint in " + chapter + ".";
            }
            return "That was the last hint for Task " + task + ". The chapter (" + lab
                    + ".adoc) also has the reference solution, folded: open it once you have tried.";
        }
        shown.put(task, number);
        return "Task " + task + ", " + hint.get().title() + "\n" + hint.get().text();
    }

    /** The block whose id is {@code id}: {@code [#id%collapsible]}, a {@code .Title} line, the text between {@code ====} lines. */
    static Optional<Hint> read(Path chapter, String id) throws IOException {
        List<String> lines = Files.readAllLines(chapter, StandardCharsets.UTF_8);
        Pattern anchor = Pattern.compile("^\\[#" + Pattern.quote(id) + "(?:[%.,\\]].*)?$");
        for (int i = 0; i < lines.size(); i++) {
            if (!anchor.matcher(lines.get(i).strip()).matches()) {
                continue;
            }
            String title = "";
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).strip().equals("===="); j++) {
                if (lines.get(j).startsWith(".") && title.isEmpty()) {
                    title = lines.get(j).substring(1).strip();
                }
            }
            StringBuilder text = new StringBuilder();
            for (j++; j < lines.size() && !lines.get(j).strip().equals("===="); j++) {
                text.append(lines.get(j)).append('\n');
            }
            return Optional.of(new Hint(id, plain(title), plain(text.toString().strip())));
        }
        return Optional.empty();
    }

    /** AsciiDoc stripped lightly: {@code <<id,text>>} to text, passthroughs and backticks removed, source fences dropped. */
    static String plain(String asciidoc) {
        return asciidoc
                .replaceAll("<<[^,>]+,([^>]+)>>", "$1")
                .replaceAll("<<([^>]+)>>", "$1")
                .replaceAll("`\\+(.*?)\\+`", "$1")
                .replaceAll("(?<![\\w+])\\+(\\S|\\S[^+\\n]*?\\S)\\+(?![\\w+])", "$1")
                .replace("`", "")
                .replaceAll("(?m)^\\[source[^\\]]*\\]\\n", "")
                .replaceAll("(?m)^----\\n?", "");
    }
}
