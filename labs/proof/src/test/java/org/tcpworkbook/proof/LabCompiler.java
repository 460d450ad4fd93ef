package org.tcpworkbook.proof;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a lab in-process with javac ({@code --release 17}, or the lab's own release, UTF-8, {@code -proc:none}), in three
 * layers, each into its own folder under a fresh output directory:
 * <ol>
 *   <li>{@code main}: given code + skeleton/solution/mutant, against the JDK alone (as a lab builds it);</li>
 *   <li>{@code support}: the kit, against main + that classpath;</li>
 *   <li>{@code checker}: the lab's checker, against main + support + that classpath.</li>
 * </ol>
 * Separate layers keep the kit's classes out of test discovery and let a mutant catalogue compile
 * the checker once and only the main layer per mutant ({@link #compileMain}, {@link CompiledLab#withMain}).
 * One instance reuses its file manager (opened jars) across compilations; it is not for concurrent use.
 */
public final class LabCompiler implements AutoCloseable {

    private static final List<String> OPTIONS =
            List.of("-encoding", "UTF-8", "-proc:none", "-g", "-nowarn", "-Xlint:none");
    private static final java.util.regex.Pattern LAB = java.util.regex.Pattern.compile("^(lab\\d+)\\b");

    /** The release to compile for: 17, or what the lab's pom says ({@code what} starts with the lab's name: lab 7 is 21). */
    static String release(String what) {
        java.util.regex.Matcher lab = LAB.matcher(what);
        return lab.find() ? String.valueOf(LabLayout.release(LabLayout.workbookRoot(), lab.group(1))) : "17";
    }

    private final JavaCompiler javac;
    private final StandardJavaFileManager files;
    private final List<Path> classpath;

    /** Compiles against the classpath this JVM's tests run with (JUnit, AssertJ, opentest4j, ...). */
    public LabCompiler() {
        this(testClasspath());
    }

    public LabCompiler(List<Path> classpath) {
        this.javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the proof on a JDK, not a JRE");
        }
        this.files = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        this.classpath = List.copyOf(classpath);
    }

    public List<Path> classpath() {
        return classpath;
    }

    /** The kit compiled once per release and reused by every lab: it uses no lab's code. */
    private final java.util.Map<String, Path> kits = new java.util.HashMap<>();

    /**
     * Compiles all three layers into {@code outputDir} (created if absent; it should be empty); the kit
     * (support) layer only the first time this compiler sees its sources for that release, after which
     * every lab shares it, and so does a JVM that runs their checkers ({@link CheckerRun} loads a kit once).
     */
    public synchronized CompiledLab compile(LabSources sources, Path outputDir) {
        Path main = compileMain(sources, outputDir.resolve("main"));
        String kit = release(sources.label()) + " " + sources.supportRoots();
        Path support = kits.get(kit);
        if (support == null || !Files.isDirectory(support)) {
            support = compileLayer(sources.label() + ", kit", sources.supportRoots(), outputDir.resolve("support"), List.of(main), true);
            kits.put(kit, support);
        }
        Path checker = compileLayer(sources.label() + ", checker", sources.checkerRoots(), outputDir.resolve("checker"), List.of(main, support), true);
        return new CompiledLab(sources.label(), main, support, checker, sources.resourceRoots());
    }

    /**
     * Compiles only the main layer (given code + the chosen main folder) into {@code classesDir}, against
     * the JDK alone, as a lab's build does: its main code has no dependencies (and javac, spared the test
     * class path's jars, compiles a mutant in half the time).
     */
    public synchronized Path compileMain(LabSources sources, Path classesDir) {
        return compileLayer(sources.label() + ", main", sources.mainRoots(), classesDir, List.of(), false);
    }

    /**
     * Compiles only the main classes {@code sourceFiles} into {@code classesDir}, against {@code
     * extraClasspath} (the rest of the main code, already compiled) and the JDK, as {@link #compileMain}
     * but for this JDK rather than the lab's release: the classes a mutant changes, say, over its solution's.
     */
    public synchronized Path compileFiles(String what, List<Path> sourceFiles, Path classesDir, List<Path> extraClasspath) {
        return compileFiles(what, sourceFiles, sourceFiles, classesDir, extraClasspath, false, false);
    }

    private Path compileLayer(String what, List<Path> roots, Path classesDir, List<Path> extraClasspath, boolean tests) {
        return compileFiles(what, roots, javaFiles(roots), classesDir, extraClasspath, tests, true);
    }

    /**
     * With {@code tests}, against the proof's test class path too (JUnit, AssertJ, ...), which the kit and
     * the checker need; with {@code forRelease}, for the lab's release ({@code --release}), as its build
     * compiles it, else for this JDK: a mutant's few classes only have to run here, and javac without
     * {@code --release} compiles them in two thirds of the time.
     */
    private Path compileFiles(String what, List<Path> roots, List<Path> sourceFiles, Path classesDir, List<Path> extraClasspath,
                              boolean tests, boolean forRelease) {
        try {
            Files.createDirectories(classesDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (sourceFiles.isEmpty()) {
            return classesDir;
        }
        List<Path> cp = new ArrayList<>(extraClasspath);
        if (tests) {
            cp.addAll(classpath);
        }
        List<String> options = new ArrayList<>(forRelease ? List.of("--release", release(what)) : List.of());
        options.addAll(OPTIONS);
        options.addAll(List.of("-d", classesDir.toString(),
                "-classpath", cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                // Only the listed files: a class the sources need must come from the class path.
                "-sourcepath", "", "-implicit:none"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter out = new StringWriter();
        Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sourceFiles);
        boolean ok = javac.getTask(out, files, diagnostics, options, null, units).call();
        if (!ok) {
            String errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.toString())
                    .collect(Collectors.joining("\n"));
            throw new CompilationFailedException("compiling " + what + " failed (" + sourceFiles.size()
                    + " files from " + roots + "):\n" + errors + (out.toString().isBlank() ? "" : "\n" + out));
        }
        return classesDir;
    }

    private static List<Path> javaFiles(List<Path> roots) {
        List<Path> result = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException("not a source folder: " + root);
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().forEach(result::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result;
    }

    /**
     * The test classpath of this JVM: surefire's {@code surefire.test.class.path} if set, else
     * {@code java.class.path}; a manifest-only jar (surefire's booter) is replaced by its Class-Path.
     */
    public static List<Path> testClasspath() {
        String raw = System.getProperty("surefire.test.class.path");
        if (raw == null || raw.isBlank()) {
            raw = System.getProperty("java.class.path", "");
        }
        List<Path> result = new ArrayList<>();
        for (String entry : raw.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            result.addAll(expandManifestOnlyJar(path));
        }
        return result.stream().filter(Files::exists).distinct().toList();
    }

    private static List<Path> expandManifestOnlyJar(Path path) {
        if (!path.getFileName().toString().startsWith("surefirebooter") || !Files.isRegularFile(path)) {
            return List.of(path);
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            Manifest manifest = jar.getManifest();
            String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                return List.of(path);
            }
            return Arrays.stream(cp.trim().split("\\s+"))
                    .map(url -> Path.of(java.net.URI.create(path.toUri().resolve(url).toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            files.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** javac rejected the sources; the message holds every error, with file, line and source line. */
    public static final class CompilationFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CompilationFailedException(String message) {
            super(message);
        }
    }
}
