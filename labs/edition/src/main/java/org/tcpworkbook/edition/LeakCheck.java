package org.tcpworkbook.edition;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The proof that no reference code reached an edition.
 *
 * <p>The <em>secret lines</em> are the lines of the reference solutions' code: for each file of
 * {@code solutions/labN/src/main/java}, every line of every member of its classes (methods with
 * their bodies, constructors, fields, initializers, nested classes), as javac's parser sees them.
 * Each is normalised (trimmed, runs of white space made one space); a line shorter than
 * {@value #SHORTEST} characters ({@code }}, {@code try {}, {@code return null;}, {@code @Override})
 * says nothing about a solution and is dropped, and so is an Asciidoctor tag comment. What the
 * student has anyway is subtracted (where it stands anywhere in a line, as the scan searches):
 * first every line of that lab's skeleton, of its given code and
 * of the shared given code ({@code labs/common}); then every line of the other code the edition
 * ships as it is (every lab's skeleton, given code and checker, the kit, the jshell snippets), where
 * idioms such as {@code } catch (SocketTimeoutException e) {} or {@code listener.close();} recur;
 * last, the lines the notes write out on purpose, listed with their reason in
 * {@code labs/edition/taught-in-the-notes.txt} (a Python-to-Java table, a hint). A reference solution
 * included into the notes, a solution file copied, a solution's method pasted into a hint: none of
 * these is subtracted.
 *
 * <p>Every text file of the edition (anything that is not binary: Java, AsciiDoc, poms, jshell
 * scripts, the rendered HTML with its tags stripped and its entities decoded, SVG) is then searched
 * for each secret line, normalised the same way, anywhere in a line. One match is a leak.
 */
public final class LeakCheck {

    /** Normalised lines shorter than this are too common to tell anything. */
    public static final int SHORTEST = 16;

    private static final Pattern TAG_COMMENT = Pattern.compile("^//\\s*(tag|end)::[\\w-]+\\[\\]$");
    private static final Pattern HTML_TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos|nbsp);");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    /** One line of a solution's code that the student edition must not contain. */
    public record Secret(String line, String origin) {
    }

    /** A secret line found in a file of the edition. */
    public record Leak(String file, int line, Secret secret) {
        @Override
        public String toString() {
            return file + ":" + line + " holds \"" + secret.line() + "\" (" + secret.origin() + ")";
        }
    }

    /**
     * The secret lines and how they were counted.
     *
     * @param solutionFiles the solution files parsed
     * @param memberLines   their class members' non-blank lines
     * @param trivial       of those, lines too short or tag comments (not secret)
     * @param given         of the rest, lines the lab's skeleton or given code has too (not secret)
     * @param shipped       of the rest, lines other code of the edition has too (not secret)
     * @param taught        of the rest, lines the notes write out on purpose (not secret)
     * @param secrets       the rest, without repeats
     */
    public record Secrets(int solutionFiles, int memberLines, int trivial, int given, int shipped, int taught,
                          List<Secret> secrets) {
        public Secrets {
            secrets = List.copyOf(secrets);
        }
    }

    /** What a scan of an edition found. */
    public record Report(Secrets secrets, int filesScanned, int binaryFiles, long charsScanned, List<Leak> leaks) {
        public Report {
            leaks = List.copyOf(leaks);
        }

        public String summary() {
            return String.format(Locale.ROOT, "leak check: %d solution files, %d lines of their classes' members: %d trivial,"
                            + " %d also in the lab's skeleton or given code, %d also in other code the edition ships,"
                            + " %d written out in the notes on purpose, %d secret; %d text files scanned (%d chars),"
                            + " %d binary files skipped; %d leaks",
                    secrets.solutionFiles(), secrets.memberLines(), secrets.trivial(), secrets.given(), secrets.shipped(),
                    secrets.taught(), secrets.secrets().size(), filesScanned, charsScanned, binaryFiles, leaks.size());
        }
    }

    private LeakCheck() {
    }

    /** The file, in the instructor edition, of the lines the notes write out on purpose. */
    public static final String TAUGHT = "labs/edition/taught-in-the-notes.txt";

    /** The secret lines of every lab's solution under {@code instructorRoot} (the full workbook). */
    public static Secrets secrets(Path instructorRoot) {
        Path solutions = instructorRoot.resolve("solutions");
        Set<String> common = normalisedLines(javaFiles(instructorRoot.resolve("labs/common/src/main/java")));
        String shipped = String.join("\n", shippedLines(instructorRoot));
        Set<String> taught = taught(instructorRoot.resolve(TAUGHT));
        Map<String, Secret> secrets = new LinkedHashMap<>();
        int files = 0;
        int memberLines = 0;
        int trivial = 0;
        int given = 0;
        int inShipped = 0;
        int inTaught = 0;
        for (Path labSolution : list(solutions)) {
            Path code = labSolution.resolve("src/main/java");
            if (!Files.isDirectory(code)) {
                continue;
            }
            Path lab = instructorRoot.resolve("labs").resolve(labSolution.getFileName().toString());
            Set<String> knownLines = new LinkedHashSet<>(common);
            knownLines.addAll(normalisedLines(javaFiles(lab.resolve("src/main/java"))));
            knownLines.addAll(normalisedLines(javaFiles(lab.resolve("src/given/java"))));
            // Searched as the edition is, anywhere in a line: a secret line must not be part of a known one.
            String known = String.join("\n", knownLines);
            for (Path file : javaFiles(code)) {
                files++;
                String origin = instructorRoot.relativize(file).toString().replace('\\', '/');
                for (Map.Entry<Integer, String> line : memberLines(file).entrySet()) {
                    String normal = normalise(line.getValue());
                    if (normal.isEmpty()) {
                        continue;
                    }
                    memberLines++;
                    if (normal.length() < SHORTEST || TAG_COMMENT.matcher(normal).matches()) {
                        trivial++;
                    } else if (known.contains(normal)) {
                        given++;
                    } else if (shipped.contains(normal)) {
                        inShipped++;
                    } else if (taught.contains(normal)) {
                        inTaught++;
                    } else {
                        secrets.putIfAbsent(normal, new Secret(normal, origin + ":" + line.getKey()));
                    }
                }
            }
        }
        if (files == 0) {
            throw new IllegalStateException("no solution files under " + solutions + ": nothing to check an edition against");
        }
        return new Secrets(files, memberLines, trivial, given, inShipped, inTaught, List.copyOf(secrets.values()));
    }

    /**
     * Lines of the code the student edition ships as it is, whatever the solutions say: every Java
     * file under {@code labs/} but the proof's and the course's (neither ships), and the jshell snippets.
     */
    static Set<String> shippedLines(Path instructorRoot) {
        List<Path> code = new ArrayList<>();
        for (Path file : files(instructorRoot.resolve("labs"), ".java")) {
            String relative = instructorRoot.relativize(file).toString().replace('\\', '/');
            if (!relative.startsWith("labs/proof/") && !relative.startsWith("labs/course/") && !relative.contains("/target/")) {
                code.add(file);
            }
        }
        code.addAll(files(instructorRoot.resolve("docs/snippets"), ".jsh"));
        return normalisedLines(code);
    }

    /** The normalised lines of {@code file} but blank lines and {@code #} comments; none if there is no file. */
    static Set<String> taught(Path file) {
        if (!Files.isRegularFile(file)) {
            return Set.of();
        }
        try {
            Set<String> result = new LinkedHashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String normal = normalise(line);
                if (!normal.isEmpty() && !normal.startsWith("#")) {
                    result.add(normal);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Searches every file under {@code edition} for the secret lines. */
    public static Report scan(Path edition, Secrets secrets) {
        List<Leak> leaks = new ArrayList<>();
        int scanned = 0;
        int binary = 0;
        long chars = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(edition)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String text = text(file);
            if (text == null) {
                binary++;
                continue;
            }
            scanned++;
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".html") || name.endsWith(".htm") || name.endsWith(".svg") || name.endsWith(".xml")) {
                text = markupToText(text);
            }
            String[] lines = text.split("\r?\n", -1);
            StringBuilder normal = new StringBuilder(text.length());
            int[] starts = new int[lines.length];
            for (int i = 0; i < lines.length; i++) {
                starts[i] = normal.length();
                normal.append(normalise(lines[i])).append('\n');
            }
            chars += normal.length();
            String haystack = normal.toString();
            String where = edition.relativize(file).toString().replace('\\', '/');
            for (Secret secret : secrets.secrets()) {
                int at = haystack.indexOf(secret.line());
                if (at >= 0) {
                    leaks.add(new Leak(where, lineOf(starts, at), secret));
                }
            }
        }
        return new Report(secrets, scanned, binary, chars, leaks);
    }

    /** Trimmed, with every run of white space one space. */
    public static String normalise(String line) {
        return SPACES.matcher(line.strip()).replaceAll(" ");
    }

    /** Markup as a reader sees it: tags removed, character references decoded. */
    static String markupToText(String markup) {
        String text = HTML_TAG.matcher(markup).replaceAll("");
        Matcher entity = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (entity.find()) {
            String name = entity.group(1);
            String decoded = switch (name) {
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> " ";
                default -> name.startsWith("#x")
                        ? Character.toString(Integer.parseInt(name.substring(2), 16))
                        : Character.toString(Integer.parseInt(name.substring(1)));
            };
            entity.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        entity.appendTail(out);
        return out.toString();
    }

    /** The file as UTF-8 text, or null if it is binary (a NUL byte, or not UTF-8). */
    private static String text(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                if (b == 0) {
                    return null;
                }
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lineOf(int[] starts, int offset) {
        int low = 0;
        int high = starts.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (starts[mid] <= offset) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low + 1;
    }

    /**
     * The lines (1-based number to text) that the members of the file's top-level classes span:
     * methods and constructors whole, fields, initializer blocks, nested classes.
     */
    static Map<Integer, String> memberLines(Path file) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run on a JDK, not a JRE");
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(List.of(file));
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null, units);
            SourcePositions positions = Trees.instance(task).getSourcePositions();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Map<Integer, String> result = new LinkedHashMap<>();
            for (CompilationUnitTree unit : task.parse()) {
                LineMap map = unit.getLineMap();
                for (Tree type : unit.getTypeDecls()) {
                    if (!(type instanceof ClassTree classTree)) {
                        continue;
                    }
                    for (Tree member : classTree.getMembers()) {
                        long start = positions.getStartPosition(unit, member);
                        long end = positions.getEndPosition(unit, member);
                        if (start < 0 || end < 0) {
                            continue; // a member the parser made up (the default constructor)
                        }
                        for (long n = map.getLineNumber(start); n <= map.getLineNumber(end); n++) {
                            result.putIfAbsent((int) n, lines.get((int) n - 1));
                        }
                    }
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> normalisedLines(List<Path> files) {
        Set<String> result = new LinkedHashSet<>();
        for (Path file : files) {
            try {
                Files.readAllLines(file, StandardCharsets.UTF_8).forEach(line -> result.add(normalise(line)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result;
    }

    private static List<Path> javaFiles(Path root) {
        return files(root, ".java");
    }

    private static List<Path> files(Path root, String suffix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
