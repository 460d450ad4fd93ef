// Your progress across the labs, from what each lab's last checker run recorded
// (labN/target/workbook/last-run.json, written by the kit's progress report).
//
//   cd labs
//   java progress.java
//
// A single-file Java program: java runs it from source (JDK 11 or newer), nothing to build.

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

public class progress {

    public static void main(String[] args) throws IOException {
        Path labs = args.length > 0 ? Path.of(args[0]) : Path.of("").toAbsolutePath();
        if (!isLabsFolder(labs) && isLabsFolder(labs.resolve("labs"))) {
            labs = labs.resolve("labs");
        }
        if (!isLabsFolder(labs)) {
            System.err.println("progress: " + labs + " has no lab folders (lab1/pom.xml, ...): run it from the workbook's labs/ folder,"
                    + " or give that folder: java progress.java path/to/labs");
            System.exit(2);
        }
        System.out.print(table(labs));
    }

    static boolean isLabsFolder(Path dir) {
        return Files.isRegularFile(dir.resolve("lab1/pom.xml"));
    }

    /** The table: for each lab its last run and each task's state, then the next task to do. */
    static String table(Path labs) throws IOException {
        StringBuilder out = new StringBuilder("Progress, from each lab's last checker run:\n");
        DateTimeFormatter when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());
        int done = 0;
        int total = 0;
        String next = null;
        for (Path lab : labFolders(labs)) {
            String name = lab.getFileName().toString();
            Path record = lab.resolve("target/workbook/last-run.json");
            out.append('\n');
            if (!Files.isRegularFile(record)) {
                out.append(name).append(": not checked yet (cd labs && ../mvnw test -pl ").append(name).append(")\n");
                next = next != null ? next : name + ": check it (../mvnw test -pl " + name + ")";
                continue;
            }
            Map<String, Object> run;
            try {
                run = asObject(new Json(Files.readString(record, StandardCharsets.UTF_8)).parse());
            } catch (RuntimeException e) {
                out.append(name).append(": its record ").append(labs.relativize(record))
                        .append(" cannot be read (").append(e.getMessage()).append("): run its checker again\n");
                continue;
            }
            List<Object> tasks = asList(run.get("tasks"));
            long labDone = tasks.stream().filter(t -> "done".equals(asObject(t).get("state"))).count();
            done += (int) labDone;
            total += tasks.size();
            Instant time = Instant.parse(String.valueOf(run.get("time")));
            out.append(name).append(": ").append(run.get("title")).append(", ").append(labDone).append(" of ")
                    .append(tasks.size()).append(" tasks done (checked ").append(when.format(time)).append(")\n");
            if (changedSince(lab.resolve("src/main/java"), Files.getLastModifiedTime(record))) {
                out.append("  your code changed after that run: ../mvnw test -pl ").append(name).append(" to update\n");
            }
            int width = tasks.stream().mapToInt(t -> String.valueOf(asObject(t).get("title")).length()).max().orElse(0);
            for (Object t : tasks) {
                Map<String, Object> task = asObject(t);
                String title = String.valueOf(task.get("title"));
                Object summary = task.get("summary") != null ? task.get("summary") : task.get("state");
                out.append("  ").append(title).append(" ".repeat(Math.max(0, width - title.length()))).append("  ")
                        .append(summary).append('\n');
                if (next == null && !"done".equals(task.get("state")) && !"not run".equals(task.get("state"))) {
                    next = name + " " + title;
                }
            }
        }
        out.append("\nTasks done: ").append(done).append(" of ").append(total).append(" in the labs checked so far.");
        out.append(next == null ? " Every lab is done.\n" : "\nnext: " + next + "\n");
        return out.toString();
    }

    /** lab1, lab2, ..., lab10: the folders with a pom.xml, in number order. */
    static List<Path> labFolders(Path labs) throws IOException {
        try (Stream<Path> dirs = Files.list(labs)) {
            return dirs.filter(d -> d.getFileName().toString().matches("lab\\d+") && Files.isRegularFile(d.resolve("pom.xml")))
                    .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
        }
    }

    static int number(Path lab) {
        return Integer.parseInt(lab.getFileName().toString().substring(3));
    }

    static boolean changedSince(Path sources, FileTime time) throws IOException {
        if (!Files.isDirectory(sources)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(time) > 0;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object o) {
        if (o instanceof Map) {
            return (Map<String, Object>) o;
        }
        throw new IllegalArgumentException("expected an object, found " + o);
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        if (o instanceof List) {
            return (List<Object>) o;
        }
        throw new IllegalArgumentException("expected a list, found " + o);
    }

    /** Just enough JSON (RFC 8259) for the record: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object parse() {
            Object value = value();
            space();
            if (at != text.length()) {
                throw error("text after the value");
            }
            return value;
        }

        private Object value() {
            space();
            if (at >= text.length()) {
                throw error("the text ends too soon");
            }
            char c = text.charAt(at);
            switch (c) {
                case '{' -> {
                    at++;
                    Map<String, Object> object = new LinkedHashMap<>();
                    space();
                    if (peek('}')) {
                        return object;
                    }
                    do {
                        space();
                        String key = string();
                        space();
                        expect(':');
                        object.put(key, value());
                        space();
                    } while (peek(','));
                    expect('}');
                    return object;
                }
                case '[' -> {
                    at++;
                    List<Object> list = new ArrayList<>();
                    space();
                    if (peek(']')) {
                        return list;
                    }
                    do {
                        list.add(value());
                        space();
                    } while (peek(','));
                    expect(']');
                    return list;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    for (String word : List.of("true", "false", "null")) {
                        if (text.startsWith(word, at)) {
                            at += word.length();
                            return word.equals("null") ? null : Boolean.valueOf(word);
                        }
                    }
                    int start = at;
                    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                        at++;
                    }
                    if (start == at) {
                        throw error("unexpected '" + c + "'");
                    }
                    return Double.parseDouble(text.substring(start, at));
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw error("a string is not closed");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(e); // \" \\ \/
                }
            }
        }

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean peek(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + at);
        }
    }
}
