package org.tcpworkbook.kit.watch;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The watch loop's javac: compiles a lab's main sources (the student's folder, the given code, the
 * shared chat protocol) in this JVM, each time into a fresh folder, with the options of the lab's
 * pom ({@code --release 17}, or the lab's own: property {@code kit.release}, UTF-8). The file manager, and with it the opened jars of the class
 * path, is kept from one compilation to the next: that is what makes the second one fast.
 */
final class MainCompiler implements AutoCloseable {
    /** The lab pom's release, which labs/pom.xml passes to the watch JVM (lab 7: 21); 17 without it. */
    static final String RELEASE = System.getProperty("kit.release", "17");

    private final JavaCompiler javac;
    private final StandardJavaFileManager files;
    private final List<Path> roots;
    private final String classpath;

    /** The outcome: the classes folder, or javac's errors as javac prints them (file:line: error: ...). */
    record Result(Path classes, String errors, int errorCount) {
        boolean ok() {
            return errors == null;
        }
    }

    MainCompiler(List<Path> roots, List<Path> classpath) {
        this.javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this JVM (" + System.getProperty("java.home")
                    + "): the watch mode needs a JDK, not a JRE");
        }
        this.files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        this.roots = List.copyOf(roots);
        this.classpath = classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /** Compiles every .java file under the roots into {@code into} (created; it should be new). */
    Result compile(Path into) throws IOException {
        Files.createDirectories(into);
        List<Path> sources = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.getFileName().toString().endsWith(".java") && Files.isRegularFile(p))
                        .sorted().forEach(sources::add);
            }
        }
        if (sources.isEmpty()) {
            return new Result(into, null, 0);
        }
        List<String> options = List.of("--release", RELEASE, "-encoding", "UTF-8", "-proc:none", "-g",
                "-Xlint:all,-serial,-processing", "-d", into.toString(), "-classpath", classpath,
                "-sourcepath", "", "-implicit:none");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter other = new StringWriter();
        boolean ok = javac.getTask(other, files, diagnostics, options, null,
                files.getJavaFileObjectsFromPaths(sources)).call();
        if (ok) {
            return new Result(into, null, 0);
        }
        List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).collect(Collectors.toList());
        String text = errors.stream().map(MainCompiler::format).collect(Collectors.joining("\n"));
        if (!other.toString().isBlank()) {
            text = text + "\n" + other.toString().strip();
        }
        return new Result(into, text, errors.size());
    }

    /** As javac prints it: {@code /path/Foo.java:12: error: ';' expected}, then the line and a caret. */
    private static String format(Diagnostic<? extends JavaFileObject> d) {
        return d.toString().replace("\r\n", "\n");
    }

    @Override
    public void close() {
        try {
            files.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
