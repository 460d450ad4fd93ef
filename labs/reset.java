// Puts one lab back to its skeleton, the code as the workbook gives it, and touches no other lab.
//
//   cd labs
//   java reset.java lab3                 shows what it would discard, then asks
//   java reset.java lab3 --yes           does it without asking
//   java reset.java lab3 --from ~/Downloads/tcp-workbook.zip
//                                         takes the skeleton from a fresh copy of the workbook
//                                         (its zip or its unpacked folder): for a copy without git
//   java reset.java lab3 --ref <commit>  the skeleton as committed in <commit> instead of HEAD
//
// It resets labN/src/main/java (your code) and deletes labN/target (its build and its last
// checker run). What it discards is first copied to labs/backups/labN-<time>/, so nothing is lost.
// A single-file Java program: java runs it from source (JDK 11 or newer), nothing to build.

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

public class reset {

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean yes = rest.remove("--yes") | rest.remove("-y");
        String from = option(rest, "--from");
        String ref = option(rest, "--ref");
        Path labs = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(labs.resolve("lab1/pom.xml")) && Files.isRegularFile(labs.resolve("labs/lab1/pom.xml"))) {
            labs = labs.resolve("labs");
        }
        if (rest.size() != 1 || !rest.get(0).matches("lab\\d+")) {
            fail("usage: java reset.java labN [--yes] [--from <workbook zip or folder>] [--ref <git commit>]");
        }
        String lab = rest.get(0);
        Path labDir = labs.resolve(lab);
        if (!Files.isRegularFile(labDir.resolve("pom.xml"))) {
            fail("there is no " + lab + " in " + labs + " (run it from the workbook's labs/ folder)");
        }
        Path code = labDir.resolve("src/main/java");

        Skeleton skeleton = from != null ? Skeleton.fromCopy(Path.of(from), lab) : Skeleton.fromGit(labs, lab, ref == null ? "HEAD" : ref);
        Map<String, byte[]> mine = read(code);
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        skeleton.files.forEach((path, bytes) -> {
            if (!mine.containsKey(path)) {
                missing.add(path);
            } else if (!Arrays.equals(bytes, mine.get(path))) {
                changed.add(path);
            }
        });
        mine.keySet().stream().filter(p -> !skeleton.files.containsKey(p)).forEach(added::add);
        Path target = labDir.resolve("target");

        System.out.println("Reset " + lab + " to its skeleton, " + skeleton.origin + ".");
        if (changed.isEmpty() && added.isEmpty() && missing.isEmpty()) {
            System.out.println(lab + "/src/main/java is its skeleton already: nothing to reset.");
            return;
        }
        System.out.println("It discards your work in " + lab + "/src/main/java:");
        changed.forEach(p -> System.out.println("  changed, back to the skeleton: " + p));
        added.forEach(p -> System.out.println("  yours, deleted:                " + p));
        missing.forEach(p -> System.out.println("  missing, put back:             " + p));
        if (Files.isDirectory(target)) {
            System.out.println("and deletes " + lab + "/target (its build, and its last checker run in the progress table).");
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path backup = labs.resolve("backups").resolve(lab + "-" + stamp);
        System.out.println("A copy of what it discards goes to " + labs.relativize(backup) + "/. No other lab, and nothing"
                + " outside " + lab + ", changes.");
        if (!yes) {
            Console console = System.console();
            if (console == null) {
                fail("nothing done: run it again with --yes to reset " + lab);
            }
            String answer = console.readLine("Reset %s? Type yes to go on: ", lab);
            if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
                System.out.println("Nothing done.");
                return;
            }
        }
        for (String p : changed) {
            copy(code.resolve(p), backup.resolve(p));
        }
        for (String p : added) {
            copy(code.resolve(p), backup.resolve(p));
            Files.delete(code.resolve(p));
        }
        for (String p : changed) {
            Files.write(code.resolve(p), skeleton.files.get(p));
        }
        for (String p : missing) {
            Files.createDirectories(code.resolve(p).getParent());
            Files.write(code.resolve(p), skeleton.files.get(p));
        }
        deleteEmptyFolders(code);
        if (Files.isDirectory(target)) {
            deleteTree(target);
        }
        System.out.println("Done: " + lab + " is its skeleton again. Check it: ../mvnw test -pl " + lab);
    }

    /** The skeleton's files under src/main/java, by path relative to it with '/' separators. */
    static final class Skeleton {
        final String origin;
        final Map<String, byte[]> files;

        Skeleton(String origin, Map<String, byte[]> files) {
            this.origin = origin;
            this.files = files;
        }

        /** As committed in git, with the line endings a checkout gives (git cat-file --filters). */
        static Skeleton fromGit(Path labs, String lab, String ref) {
            String top;
            try {
                top = git(labs, "rev-parse", "--show-toplevel").strip();
            } catch (IllegalStateException e) {
                fail("this copy of the workbook is not a git checkout, or git is not installed (" + e.getMessage() + "),\n"
                        + "so the skeleton as it was given is not here to compare with. Get a fresh copy of the workbook\n"
                        + "(the zip you started from, say) and take " + lab + "'s skeleton from it:\n"
                        + "  java reset.java " + lab + " --from path/to/the-workbook.zip   (or its unpacked folder)\n"
                        + "Nothing was changed.");
                throw e;
            }
            Path root = Path.of(top).toAbsolutePath();
            String prefix = root.relativize(labs.resolve(lab).resolve("src/main/java").toAbsolutePath()).toString().replace('\\', '/');
            String commit = git(root, "log", "-1", "--format=%h %s", ref, "--").strip();
            Map<String, byte[]> files = new TreeMap<>();
            for (String path : git(root, "ls-tree", "-r", "--name-only", "--full-tree", ref, "--", prefix).split("\n")) {
                if (!path.isBlank()) {
                    files.put(path.substring(prefix.length() + 1), gitBytes(root, "cat-file", "--filters", ref + ":" + path));
                }
            }
            if (files.isEmpty()) {
                fail(ref + " has no " + prefix + ": is this the workbook's repository?");
            }
            return new Skeleton("as committed in git (" + ref + " = " + commit + ")", files);
        }

        /** From another copy of the workbook: its zip, its folder, or its labs/ folder. */
        static Skeleton fromCopy(Path copy, String lab) throws IOException {
            Map<String, byte[]> files = new TreeMap<>();
            String marker = lab + "/src/main/java/";
            if (Files.isRegularFile(copy)) {
                try (ZipFile zip = new ZipFile(copy.toFile(), StandardCharsets.UTF_8)) {
                    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                        ZipEntry entry = e.nextElement();
                        String name = entry.getName();
                        int at = name.indexOf("labs/" + marker);
                        if (!entry.isDirectory() && at >= 0 && (at == 0 || name.charAt(at - 1) == '/')) {
                            try (InputStream in = zip.getInputStream(entry)) {
                                files.put(name.substring(at + ("labs/" + marker).length()), in.readAllBytes());
                            }
                        }
                    }
                }
            } else if (Files.isDirectory(copy)) {
                Path dir = Files.isDirectory(copy.resolve("labs")) ? copy.resolve("labs") : copy;
                files.putAll(read(dir.resolve(marker)));
            } else {
                fail(copy + " is neither a zip nor a folder");
            }
            if (files.isEmpty()) {
                fail(copy + " has no labs/" + marker + ": is it a copy of the workbook?");
            }
            return new Skeleton("from " + copy, files);
        }
    }

    static Map<String, byte[]> read(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        return files;
    }

    static String git(Path dir, String... args) {
        return new String(gitBytes(dir, args), StandardCharsets.UTF_8);
    }

    static byte[] gitBytes(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errors = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the exit code tells
                }
            });
            errors.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("git " + String.join(" ", args) + " did not finish in 30 s");
            }
            errors.join(5000);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8).strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("git cannot be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    static void deleteEmptyFolders(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path d : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                if (!d.equals(dir)) {
                    try (Stream<Path> in = Files.list(d)) {
                        if (in.findAny().isEmpty()) {
                            Files.delete(d);
                        }
                    }
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            fail(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }

    static void fail(String message) {
        System.err.println("reset: " + message);
        System.exit(1);
    }
}
