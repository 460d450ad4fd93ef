package org.tcpworkbook.edition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the student edition of the workbook from the instructor edition (this repository):
 * {@code target/tcp-workbook-student/}, a tree ready to become a template repository, and the same
 * tree as {@code target/tcp-workbook-student.zip}.
 *
 * <p>What goes in is a list ({@link #INCLUDED}), so that nothing new reaches students by accident:
 * the labs (skeletons, given code, checkers, the kit, common), the notes' AsciiDoc sources and
 * jshell snippets, the poms, {@code mvnw}, the README. Never {@code solutions/}, {@code labs/proof}, {@code labs/course},
 * {@code labs/edition/}, {@code .ci/}, the notes' own tests (they check the solutions), the instructor's
 * guide, or any {@code target/} folder. A file with {@code student-edition} markers goes through
 * {@link EditionText#strip}; every other file is copied byte for byte. Then the edition renders its
 * own notes with its own {@code mvnw} into {@code site/} (unless {@code --no-site}), the
 * {@link LeakCheck} searches the whole tree for the solutions' code (a leak fails the build and
 * leaves no zip), and the tree is zipped: entries sorted, every time stamp the same, {@code mvnw}
 * executable, so that the same sources give the same zip.
 *
 * <pre>
 * java org.tcpworkbook.edition.StudentEdition --root DIR --out DIR [--no-site] [--offline=true|false] [--maven-repo DIR]
 * </pre>
 */
public final class StudentEdition {

    public static final String NAME = "tcp-workbook-student";

    /** Every time stamp in the zip and the tree: the edition's content, not the build's time, decides its bytes. */
    public static final FileTime TIMESTAMP = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));

    /** Rendering the notes is bounded: past this, the Maven it runs is killed and the build fails. */
    public static final Duration RENDER_TIMEOUT = Duration.ofMinutes(15);

    /** What the edition holds: files, or folders taken whole (less {@link #EXCLUDED}). */
    static final List<String> INCLUDED = List.of(
            ".gitignore", ".gitattributes", ".mvn/", "mvnw", "mvnw.cmd", "pom.xml", "README.adoc",
            "labs/pom.xml", "labs/.mvn/", "labs/progress.java", "labs/reset.java",
            "labs/kit/", "labs/common/", "labs/lab*/",
            "docs/pom.xml", "docs/snippets/", "docs/wire/", "docs/src/docs/asciidoc/");

    /** Left out even inside an included folder. */
    private static final Pattern EXCLUDED = Pattern.compile(
            "(^|.*/)target/.*|.*\\.class|docs/src/docs/asciidoc/instructor\\.adoc|(^|.*/)\\.(idea|vscode|settings)/.*|.*\\.iml");

    private static final Set<String> EXECUTABLE = Set.of("mvnw");

    /** How the edition came out. */
    public record Result(Path folder, Path zip, int files, long bytes, long zipBytes, int strippedFiles,
                         LeakCheck.Report leaks) {
        public String summary() {
            return String.format(Locale.ROOT, "student edition: %d files (%d with markers stripped), %d bytes; %s: %d bytes%n%s",
                    files, strippedFiles, bytes, zip.getFileName(), zipBytes, leaks.summary());
        }
    }

    /**
     * @param render     render the notes into {@code site/} with the edition's own {@code mvnw}
     * @param offline    run that Maven offline ({@code -o})
     * @param mavenRepo  its local repository, or null for its default
     */
    public record Options(boolean render, boolean offline, Path mavenRepo) {
    }

    /** The edition leaks reference code: nothing was zipped. */
    public static final class LeakException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LeakException(String message) {
            super(message);
        }
    }

    private StudentEdition() {
    }

    public static void main(String[] args) throws IOException {
        Path root = null;
        Path out = null;
        boolean render = true;
        boolean offline = false;
        Path repo = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--offline=")) {
                // Maven's ${settings.offline} is a boolean, which exec:java takes only inside a string.
                offline = Boolean.parseBoolean(args[i].substring("--offline=".length()));
                continue;
            }
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-site" -> render = false;
                case "--maven-repo" -> {
                    String value = args[++i];
                    repo = value.isBlank() ? null : Path.of(value);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --root DIR --out DIR [--no-site] [--offline=true|false] [--maven-repo DIR])");
            }
        }
        if (root == null || out == null) {
            throw new IllegalArgumentException("--root DIR and --out DIR are required");
        }
        Result result = build(root.toAbsolutePath().normalize(), out.toAbsolutePath().normalize(), new Options(render, offline, repo));
        System.out.println(result.summary());
        System.out.println("student edition: " + result.folder() + " and " + result.zip());
    }

    /** Builds the edition of the workbook at {@code root} into {@code out}/{@value #NAME}(.zip). */
    public static Result build(Path root, Path out, Options options) throws IOException {
        Path folder = out.resolve(NAME);
        Path zip = out.resolve(NAME + ".zip");
        deleteTree(folder);
        Files.deleteIfExists(zip);
        Files.createDirectories(folder);

        int stripped = 0;
        for (String file : selection(root)) {
            Path source = root.resolve(file);
            Path target = folder.resolve(file);
            Files.createDirectories(target.getParent());
            byte[] bytes = Files.readAllBytes(source);
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (EditionText.hasMarkers(text)) {
                Files.writeString(target, EditionText.strip(text, file), StandardCharsets.UTF_8);
                stripped++;
            } else {
                Files.write(target, bytes);
            }
            if (EXECUTABLE.contains(file)) {
                makeExecutable(target);
            }
        }
        if (options.render()) {
            render(folder, options);
        }

        LeakCheck.Report leaks = LeakCheck.scan(folder, LeakCheck.secrets(root));
        if (!leaks.leaks().isEmpty()) {
            throw new LeakException("the student edition in " + folder + " holds reference code; no zip written.\n"
                    + leaks.summary() + "\n  " + String.join("\n  ", leaks.leaks().stream().map(Object::toString).toList()));
        }
        List<Path> files = files(folder);
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        zip(folder, zip);
        return new Result(folder, zip, files.size(), bytes, Files.size(zip), stripped, leaks);
    }

    /** The workbook's files that go into the edition, relative, with '/', sorted. */
    static List<String> selection(Path root) throws IOException {
        List<String> result = new ArrayList<>();
        for (String entry : INCLUDED) {
            if (!entry.endsWith("/")) {
                require(root.resolve(entry));
                result.add(entry);
                continue;
            }
            String folder = entry.substring(0, entry.length() - 1);
            List<Path> folders = new ArrayList<>();
            if (folder.endsWith("*")) {
                Path parent = root.resolve(folder).getParent();
                String prefix = folder.substring(folder.lastIndexOf('/') + 1, folder.length() - 1);
                try (Stream<Path> list = Files.list(parent)) {
                    list.filter(Files::isDirectory)
                            .filter(d -> d.getFileName().toString().matches(Pattern.quote(prefix) + "\\d+"))
                            .sorted().forEach(folders::add);
                }
                if (folders.isEmpty()) {
                    throw new IllegalStateException("nothing matches " + entry + " in " + root);
                }
            } else {
                require(root.resolve(folder));
                folders.add(root.resolve(folder));
            }
            for (Path dir : folders) {
                for (Path file : files(dir)) {
                    String relative = root.relativize(file).toString().replace('\\', '/');
                    if (!EXCLUDED.matcher(relative).matches()) {
                        result.add(relative);
                    }
                }
            }
        }
        return result.stream().distinct().sorted().toList();
    }

    /** Renders the edition's notes with the edition's own mvnw, into {@code site/}. */
    private static void render(Path folder, Options options) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", folder.resolve("mvnw").toString(), "-B", "-q", "-ntp"));
        if (options.offline()) {
            command.add("-o");
        }
        if (options.mavenRepo() != null) {
            command.add("-Dmaven.repo.local=" + options.mavenRepo());
        }
        // reproducible: no "Last updated" time in the pages' footers, so the same sources give the same pages.
        command.addAll(List.of("-pl", "docs", "generate-resources", "-Ddocs.output=" + folder.resolve("site"),
                "-Dasciidoctor.attributes=reproducible"));
        Path log = folder.resolveSibling(NAME + "-render.log");
        Process maven = new ProcessBuilder(command).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done;
        try {
            done = maven.waitFor(RENDER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            maven.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rendering the edition's notes", e);
        }
        if (!done) {
            maven.destroyForcibly();
            throw new IOException("rendering the edition's notes took more than " + RENDER_TIMEOUT.toMinutes()
                    + " min; killed (" + String.join(" ", command) + "); its output: " + log);
        }
        if (maven.exitValue() != 0) {
            throw new IOException("rendering the edition's notes failed with exit code " + maven.exitValue()
                    + " (" + String.join(" ", command) + "):\n" + tail(log, 40));
        }
        if (!Files.isRegularFile(folder.resolve("site/index.html"))) {
            throw new IOException("rendering the edition's notes wrote no site/index.html; its output: " + log);
        }
        deleteTree(folder.resolve("docs/target"));
        Files.deleteIfExists(log);
    }

    /** Zips {@code folder} under its own name: entries sorted, fixed time stamps, POSIX permissions kept. */
    static void zip(Path folder, Path zip) throws IOException {
        URI uri = URI.create("jar:" + zip.toUri());
        Map<String, Object> env = Map.of("create", "true", "enablePosixFileAttributes", "true");
        try (FileSystem fs = FileSystems.newFileSystem(uri, env)) {
            String top = folder.getFileName().toString();
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(folder)) {
                entries = walk.sorted(Comparator.comparing(p -> folder.relativize(p).toString().replace('\\', '/'))).toList();
            }
            for (Path source : entries) {
                String relative = folder.relativize(source).toString().replace('\\', '/');
                Path target = fs.getPath("/" + top + (relative.isEmpty() ? "" : "/" + relative));
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(source, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                            Files.isExecutable(source) && EXECUTABLE.contains(relative) ? "rwxr-xr-x" : "rw-r--r--"));
                }
                // All three times: the zip's extended-time field would otherwise record now as the access and creation times.
                Files.getFileAttributeView(target, BasicFileAttributeView.class).setTimes(TIMESTAMP, TIMESTAMP, TIMESTAMP);
            }
        }
    }

    private static void makeExecutable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = PosixFilePermissions.fromString("rwxr-xr-x");
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            file.toFile().setExecutable(true, false);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void require(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException("the edition needs " + path + ", which does not exist");
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
